"""The pages say where their feeds are: in the head for readers, in the text for people."""


def test_pages_point_to_their_feeds(client, feeds_site):
    old = feeds_site["old"].slug
    commitment = feeds_site["commitment"].slug
    pages = {
        "/harryda/": ["/harryda/flode.atom", "/harryda/uppfoljningar.atom"],
        f"/harryda/{old}/": [f"/harryda/{old}/flode.atom", f"/harryda/{old}/uppfoljningar.atom"],
        f"/harryda/{old}/atagande/{commitment}/": [
            f"/harryda/{old}/atagande/{commitment}/flode.atom"
        ],
    }
    for page, feeds in pages.items():
        body = client.get(page).content.decode()
        head = body.split("</head>")[0]
        assert 'rel="canonical"' in head or page == "/harryda/"
        for feed in feeds:
            assert '<link rel="alternate" type="application/atom+xml"' in head
            assert f'href="{feed}"' in head, (page, feed)

    body = client.get(f"/harryda/{old}/").content.decode()
    assert "Följ arbetet" in body
    assert f'href="/harryda/{old}/flode.atom"' in body.split("</head>")[1]
    assert f'href="/harryda/{old}/kalender.ics"' in body


def test_the_follow_section_is_translated(client, feeds_site):
    body = client.get(f"/en/harryda/{feeds_site['old'].slug}/").content.decode()
    assert "Follow the work" in body
    assert "Upcoming activities in your calendar (iCal)" in body
