"""The server-rendered pages: every page answers, facts are highlighted, filters reach the queries."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_every_page_renders(client: TestClient, ids: dict[str, int]) -> None:
    for path in (
        "/",
        "/articles",
        "/articles?q=Riga&language=fr&date_from=2021-01-01",
        f"/articles/{ids['events']}",
        "/events",
        "/events?actor=LVA&root=11&country=LV&plover=ACCUSE&date_from=2021-03-01&date_to=2021-03-31",
        "/actors",
        "/actors/LVA",
        "/claims",
        "/claims?status=denied&q=frontière",
        "/places",
        "/places?country=LV",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
    assert client.get("/static/veille.css").status_code == 200
    assert client.get("/static/veille.js").status_code == 200
    land = client.get("/map/land.svg", headers={"accept-encoding": "identity"})
    assert land.headers["content-type"] == "image/svg+xml" and land.text.startswith("<svg")


def test_bad_page_parameters_get_an_html_error(client: TestClient) -> None:
    for path in (
        "/events?root=99",
        "/articles?date_from=soon",
        "/claims?status=maybe",
        "/articles/0",
        "/actors/%3Cb%3E",
    ):
        response = client.get(path)
        assert response.status_code in {404, 422}, path
        assert response.headers["content-type"].startswith("text/html"), path


def test_article_page_highlights_every_kind_of_fact(client: TestClient, ids: dict[str, int]) -> None:
    html = client.get(f"/articles/{ids['events']}").text
    for cls in ("hl-event", "hl-quote", "hl-speaker", "hl-claim", "hl-date", "hl-place", "role-denial"):
        assert cls in html, cls
    assert 'class="hl hl-claim role-denial st-denied" data-refs="c' in html
    assert ">c&#39;est faux</span>" in html
    assert 'id="facts"' in html and "Provenance graph" not in html  # the link label is built by the script


def test_events_page_filters_timeline_and_map(client: TestClient) -> None:
    html = client.get("/events?actor=LVA").text
    assert html.count("<tr>") == 1 + 3  # header + the three events of LVA and LVAGOV
    assert 'class="timeline"' in html and 'class="map"' in html
    assert "Riga" in html and 'href="/api/events?actor=LVA&amp;format=csv"' in html
    assert "No event matches." in client.get("/events?root=20").text


def test_actors_page_draws_the_network(client: TestClient) -> None:
    html = client.get("/actors").text
    assert html.count('class="node"') == 4
    assert 'data-ends="LVA RUS"' in html


def test_claim_page_draws_the_provenance_graph(client: TestClient) -> None:
    cluster = client.get("/api/claims", params={"status": "denied", "q": "frontière"}).json()["items"][0]
    html = client.get(f"/claims/{cluster['id']}").text
    assert 'id="provenance"' in html
    assert 'class="gnode origin' in html and 'class="gnode denier' in html
    assert 'class="edge denies"' in html and "une chaîne anonyme" in html


def test_demo_seed_article_shows_its_denial(demo_client: TestClient, seed_id: int) -> None:
    html = demo_client.get(f"/articles/{seed_id}").text
    assert "role-denial" in html and "complètement fausses" in html
    assert "provenance graph →" in html
