"""Events API: filters (day range, actor, country, CAMEO root, PLOVER), paging, CSV, timeline, places."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient


def _codes(client: TestClient, **params: str) -> list[str]:
    return [e["cameo"] for e in client.get("/api/events", params=params).json()["items"]]


def test_all_events_newest_first(client: TestClient) -> None:
    page = client.get("/api/events").json()
    assert page["total"] == 4
    days = [e["day"] for e in page["items"]]
    assert days == sorted(days, reverse=True)


def test_filters(client: TestClient) -> None:
    assert _codes(client, root="04") == ["042"]
    assert sorted(_codes(client, actor="LVA")) == ["042", "112", "192"]  # prefix: LVA and LVAGOV
    assert _codes(client, actor="LTUGOV") == ["042"]
    assert _codes(client, plover="ACCUSE") == ["112"]
    assert _codes(client, plover="accuse") == ["112"]
    assert _codes(client, date_from="2021-02-01", date_to="2021-02-28") == ["192"]
    # Country: the event's place (ISO alpha-2) or an actor's country code (alpha-3).
    assert sorted(_codes(client, country="LT")) == ["042"]
    assert sorted(_codes(client, country="RUS")) == ["112"]
    assert sorted(_codes(client, country="lv")) == ["042", "112", "192"]
    assert _codes(client, country="ZZ") == []
    assert _codes(client, root="04", actor="RUS") == []


def test_invalid_filters_are_422(client: TestClient) -> None:
    for params in ({"root": "21"}, {"root": "4"}, {"actor": "US A"}, {"country": "FRAN"}, {"plover": "a-b"}):
        assert client.get("/api/events", params=params).status_code == 422, params


def test_paging(client: TestClient) -> None:
    first = client.get("/api/events", params={"limit": 2}).json()
    rest = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    ids = [e["id"] for e in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == 4


def test_csv_export(client: TestClient) -> None:
    response = client.get("/api/events", params={"format": "csv", "actor": "LVA"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(r["cameo"] for r in rows) == ["042", "112", "192"]
    assert {"day", "source_code", "target_code", "evidence_text", "outlet"} <= set(rows[0])


def test_csv_cells_cannot_be_spreadsheet_formulas(client: TestClient) -> None:
    from veille.api.routers.events import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("@SUM(A1)") == "'@SUM(A1)"
    assert _cell("Riga") == "Riga" and _cell(3) == 3


def test_one_event(client: TestClient) -> None:
    first = client.get("/api/events").json()["items"][0]
    assert client.get(f"/api/events/{first['id']}").json() == first
    assert client.get("/api/events/999999").status_code == 404


def test_timeline_and_places(client: TestClient) -> None:
    days = client.get("/api/events/timeline").json()
    assert sum(p["count"] for p in days) == 4
    assert {p["day"] for p in days} == {"2021-02-27", "2021-03-02", "2021-03-03"}
    months = client.get("/api/events/timeline", params={"bucket": "month"}).json()
    assert {(p["day"], p["quad_class"]): p["count"] for p in months}[("2021-03-01", 3)] == 1
    places = client.get("/api/events/places", params={"country": "LV"}).json()
    assert {p["name"]: p["events"] for p in places} == {"Riga": 2, "Vilnius": 1}
