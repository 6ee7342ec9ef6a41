"""The alerts page and a claim's history (read_alerts + the web router), on a store the watcher filled."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from watch_fakes import CountingAnalyzer, page, rss
from watch_helpers import loopback_settings, options, run_cycle

from veille.api.app import create_app
from veille.store import Store
from veille.store.read_alerts import alert_rules, claim_history, list_alerts
from veille.watch import Watcher
from veille.watch.watchlist import parse_watchlist
from veille.web import pages_alerts


def _fill(server, db: str) -> None:
    rules = parse_watchlist({"rules": [{"name": "gare", "keywords": ["gare"]}]}, source="test")
    items: list[tuple[str, str, str]] = []
    with Store.open(db) as store:
        watcher = Watcher(
            store,
            [server.url("/rss.xml")],
            settings=loopback_settings(),
            options=options(),
            watchlist=rules,
            analyzer=CountingAnalyzer(),
        )
        watcher.start()
        for name, outlet, line in [
            ("a", "Le Courrier", "CLAIM k unverified: la gare <centrale> fermera."),
            ("b", "La Gazette", "CLAIM k denied: la gare <centrale> fermera."),
        ]:
            server.set(f"/{name}.html", page(name, outlet, line))
            items.append((name, server.url(f"/{name}.html"), "court"))
            server.set("/rss.xml", rss("Revue", items), content_type="application/rss+xml")
            run_cycle(watcher)


def test_alerts_and_claim_history(server, db_url: str, tmp_path: Path) -> None:
    db = db_url
    _fill(server, db)
    with Store.open(db) as store, store.read() as conn:
        alerts = list_alerts(conn).items
        assert [a.kind for a in alerts] == ["status_change", "new_claim"]  # newest first
        assert alert_rules(conn) == [("gare", 2)]
        assert list_alerts(conn, kind="new_claim").total == 1 and list_alerts(conn, rule="x").total == 0
        claim_id = alerts[0].claim_id
        assert claim_id is not None
        history = claim_history(conn, claim_id)
        assert history is not None and claim_history(conn, 999_999) is None
    steps = [(s.outlet, s.status, s.status_after, s.changed) for s in history.steps]
    assert steps == [
        ("Le Courrier", "unverified", "unverified", False),
        ("La Gazette", "denied", "denied", True),
    ]
    assert history.steps[1].evidence[0]["role"] == "denial" and len(history.alerts) == 2

    app = create_app(db_url=db, read_only=True)
    app.include_router(pages_alerts.router)
    with TestClient(app) as client:
        listing = client.get("/alerts", params={"rule": "gare"})
        assert listing.status_code == 200
        assert "status_change" in listing.text and "&lt;centrale&gt;" in listing.text  # escaped
        assert client.get("/alerts", params={"kind": "gossip"}).status_code == 422
        page_ = client.get(f"/claims/{claim_id}/history")
        assert page_.status_code == 200 and "changed here" in page_.text and "La Gazette" in page_.text
        assert client.get("/claims/999999/history").status_code == 404
