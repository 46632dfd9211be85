def test_home_lists_municipality_with_published_promise(client, promise, harryda):
    response = client.get("/")
    assert response.status_code == 200
    assert "Härryda" in response.content.decode()
