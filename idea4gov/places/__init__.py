"""Places: points on a map for ideas and projects, checked against Thailand or the area's bounding
box, rounded for public display, and the map's tile server (`MAP_TILE_URL`)."""
