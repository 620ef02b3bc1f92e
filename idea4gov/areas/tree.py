"""The area hierarchy: breadcrumbs, children with counts, descendants — each in a fixed number
of queries whatever the depth or the number of areas."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from idea4gov.areas.models import Area
from idea4gov.areas.services import idea_counts_by_area
from idea4gov.cache import COUNTS_TTL
from idea4gov.extensions import cache, db

#: Deeper than any real hierarchy (country → region → province → district → subdistrict → village);
#: only a guard against a loop written into the database by hand.
MAX_DEPTH = 32
#: Children listed under each top-level area on the home page (the rest: on that area's page).
HOME_CHILDREN = 12


def ancestors(area: Area) -> list[Area]:
    """The areas above this one, top-level first (one recursive query; none for a top-level area)."""
    if area.parent_id is None:
        return []
    chain = (sa.select(Area.id, Area.parent_id, sa.literal(1).label("depth"))
             .where(Area.id == area.parent_id).cte("chain", recursive=True))
    above = aliased(Area)
    chain = chain.union_all(
        sa.select(above.id, above.parent_id, chain.c.depth + 1)
        .where(above.id == chain.c.parent_id, chain.c.depth < MAX_DEPTH))
    rows = db.session.execute(sa.select(Area, chain.c.depth).join(chain, Area.id == chain.c.id)
                              .order_by(chain.c.depth.desc()))
    return [row[0] for row in rows]


def descendant_ids(area_id: int) -> set[int]:
    """Ids of every area below this one (one recursive query)."""
    below = sa.select(Area.id, sa.literal(1).label("depth")).where(Area.parent_id == area_id).cte(
        "below", recursive=True)
    child = aliased(Area)
    below = below.union_all(sa.select(child.id, below.c.depth + 1)
                            .where(child.parent_id == below.c.id, below.c.depth < MAX_DEPTH))
    return set(db.session.scalars(sa.select(below.c.id)))


def children(area: Area) -> list[Area]:
    """The areas directly below, by Thai name (one query)."""
    return list(db.session.scalars(sa.select(Area).where(Area.parent_id == area.id).order_by(Area.name_th, Area.id)))


@dataclass(frozen=True)
class TreeCounts:
    """Published ideas of each area with everything below it, and its number of direct children."""

    ideas: dict[int, int]
    children: dict[int, int]


@cache.memoize(timeout=COUNTS_TTL)
def tree_counts() -> TreeCounts:
    """Counts for every area (cached like the other counts: one small query, then arithmetic)."""
    parents = dict(db.session.execute(sa.select(Area.id, Area.parent_id)).all())
    own = idea_counts_by_area()
    totals = dict.fromkeys(parents, 0)
    kids: dict[int, int] = dict.fromkeys(parents, 0)
    for area_id, parent_id in parents.items():
        if parent_id in kids:
            kids[parent_id] += 1
        count, node, steps = own.get(area_id, 0), area_id, 0
        while node is not None and node in totals and steps <= MAX_DEPTH:
            totals[node] += count
            node, steps = parents[node], steps + 1
    return TreeCounts(totals, kids)


@dataclass
class HomeArea:
    area: Area
    #: The first HOME_CHILDREN children that are not archived, by Thai name.
    children: list[Area]


def home_tree() -> list[HomeArea]:
    """Top-level areas that are not archived, each with its first children (three queries)."""
    ranked = (sa.select(Area.id, sa.func.row_number().over(partition_by=Area.parent_id,
                                                            order_by=(Area.name_th, Area.id)).label("rank"))
              .where(Area.archived_at.is_(None)).subquery())
    top = aliased(Area)
    rows = db.session.scalars(
        sa.select(Area).join(ranked, ranked.c.id == Area.id)
        .outerjoin(top, top.id == Area.parent_id)
        .where(sa.or_(Area.parent_id.is_(None),
                      sa.and_(top.parent_id.is_(None), top.archived_at.is_(None), ranked.c.rank <= HOME_CHILDREN)))
        .options(selectinload(Area.themes))
        .order_by(Area.name_th, Area.id)).all()
    roots = {area.id: HomeArea(area, []) for area in rows if area.parent_id is None}
    for area in rows:
        if area.parent_id is not None:
            roots[area.parent_id].children.append(area)
    return list(roots.values())


def archived_top_level() -> list[Area]:
    return list(db.session.scalars(sa.select(Area).where(Area.parent_id.is_(None), Area.archived_at.is_not(None))
                                   .order_by(Area.name_th)))


@dataclass(frozen=True)
class OutlineRow:
    area: Area
    depth: int
    #: Names from the top-level area down, in the given language, e.g. "จังหวัดชลบุรี › เทศบาลเมืองแสนสุข".
    path: str


def outline(locale: str, include_archived: bool = True) -> list[OutlineRow]:
    """Every area in tree order (a parent, then its children by Thai name), with depth and path (one query)."""
    areas = list(db.session.scalars(sa.select(Area).order_by(Area.name_th, Area.id)))
    by_parent: dict[int | None, list[Area]] = {}
    ids = {area.id for area in areas}
    for area in areas:
        # An area whose parent is missing (never, but cheap to survive) is shown at the top.
        by_parent.setdefault(area.parent_id if area.parent_id in ids else None, []).append(area)
    rows: list[OutlineRow] = []

    def walk(parent_id: int | None, depth: int, path: str) -> None:
        for area in by_parent.get(parent_id, []):
            if area.is_archived and not include_archived:
                continue
            label = f"{path} › {area.name(locale)}" if path else area.name(locale)
            rows.append(OutlineRow(area, depth, label))
            if depth < MAX_DEPTH:
                walk(area.id, depth + 1, label)

    walk(None, 0, "")
    return rows
