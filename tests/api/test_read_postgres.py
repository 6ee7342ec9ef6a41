"""The read queries and the API on PostgreSQL (full-text search through ``search_vector``, the
newest-first orders with NULLS LAST, the UNION of filter alternatives). Skipped without a server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sample_store import build_sample_store, thread_of_read
from sqlalchemy import create_engine, text

from veille.api.app import create_app
from veille.store.engine import normalize_url

POSTGRES_ENV = "VEILLE_TEST_POSTGRES_URL"


@pytest.fixture(scope="module")
def pg_client() -> Iterator[tuple[TestClient, dict[str, int]]]:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f'PostgreSQL tests need {POSTGRES_ENV} (run: eval "$(bash .ci/postgres.sh)")')
    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    ids = build_sample_store(url)
    with TestClient(create_app(db_url=url)) as client:
        yield client, ids


def test_search_filters_and_detail(pg_client: tuple[TestClient, dict[str, int]]) -> None:
    client, ids = pg_client
    hits = client.get("/api/articles", params={"q": "frontière Riga"}).json()
    assert [a["id"] for a in hits["items"]] == [ids["events"]]
    assert client.get("/api/articles", params={"q": "frontières"}).json()["total"] == 1  # stemmed
    assert [a["id"] for a in client.get("/api/articles").json()["items"]] == [ids["xss"], ids["events"]]
    # Filters without words (prepared statements), with a full page so that the count runs too.
    dated = {"language": "fr", "date_from": "2000-01-01", "date_to": "2100-12-31", "limit": 1}
    page = client.get("/api/articles", params=dated).json()
    assert [a["id"] for a in page["items"]] == [ids["xss"]] and (page["total"], page["exact"]) == (2, True)
    assert client.get("/api/articles", params={**dated, "language": "en"}).json()["total"] == 0
    article = client.get(f"/api/articles/{ids['events']}").json()
    assert len(article["events"]) == 3 and article["claims"][0]["status"] == "denied"


def test_event_filters(pg_client: tuple[TestClient, dict[str, int]]) -> None:
    client, _ = pg_client

    def codes(**params: str) -> list[str]:
        return sorted(e["cameo"] for e in client.get("/api/events", params=params).json()["items"])

    assert codes(actor="LVA") == ["042", "112", "192"]
    # A full page: the count runs, as one OR of the codes present (read_event_plans.merged_count).
    for params in ({"actor": "LVA"}, {"actor": "LVA", "date_from": "2000-01-01"}, {"country": "LV"}):
        page = client.get("/api/events", params={**params, "limit": 1}).json()
        assert (page["total"], page["exact"]) == (len(codes(**params)), True), params
    assert codes(country="LT") == ["042"]
    assert codes(root="11", actor="LVA") == ["112"]
    assert codes(plover="ACCUSE") == ["112"]
    days = [e["day"] for e in client.get("/api/events").json()["items"]]
    assert days == sorted(days, reverse=True)
    assert "112" in client.get("/api/events", params={"format": "csv"}).text


def test_other_resources(pg_client: tuple[TestClient, dict[str, int]]) -> None:
    client, _ = pg_client
    net = client.get("/api/actors/network").json()
    assert {(e["source"], e["target"]) for e in net["edges"]} == {("LTUGOV", "LVAGOV"), ("LVA", "RUS")}
    assert client.get("/api/actors/LVA").json()["events_as_source"] == 2
    claims = client.get("/api/claims", params={"status": "denied"}).json()["items"]
    detail = client.get(f"/api/claims/{claims[0]['id']}").json()
    assert any(e["kind"] == "denies" for e in detail["graph"]["edges"])
    assert client.get("/api/places", params={"country": "LV"}).json()["items"][0]["name"] == "Riga"
    assert client.get("/api/stats").json()["events"] == 4
    assert client.get("/api/events/timeline", params={"bucket": "month"}).status_code == 200
    for page in ("/", "/events?actor=LVA", "/actors", f"/claims/{claims[0]['id']}", "/places"):
        assert client.get(page).status_code == 200, page


def test_postgres_reads_leave_the_event_loop(pg_client: tuple[TestClient, dict[str, int]]) -> None:
    # A PostgreSQL query waits on the server: in a worker thread, the loop serves others meanwhile.
    read_thread, loop_thread = thread_of_read(os.environ[POSTGRES_ENV])
    assert read_thread != loop_thread
