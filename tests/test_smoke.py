def test_home_lists_areas(client, make_area):
    make_area(slug="saensuk")
    response = client.get("/")
    assert response.status_code == 200
    assert "พื้นที่ saensuk" in response.get_data(as_text=True)
