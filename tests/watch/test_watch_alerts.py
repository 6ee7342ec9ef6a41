"""Alert rules end to end (fake analyser): new claims, status changes, contradictions, bursts, and
delivery at most once per destination."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from watch_fakes import CountingAnalyzer, page, rss
from watch_helpers import loopback_settings, options, read_alerts, run_cycle

from veille.store import Store
from veille.store.schema import StoreState
from veille.store.watch_tables import Alert, AlertDelivery
from veille.watch import Watcher
from veille.watch.deliver import LinesSink, WebhookSink, deliver, register
from veille.watch.watchlist import DEFAULT_WATCHLIST, Watchlist, parse_watchlist


class Newsroom:
    """Pages published one cycle after another through one feed."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.items: list[tuple[str, str, str]] = []

    def publish(self, name: str, outlet: str, *lines: str) -> None:
        self.server.set(f"/{name}.html", page(name, outlet, *lines))
        self.items.append((name, self.server.url(f"/{name}.html"), "court"))
        self.server.set("/rss.xml", rss("Revue", self.items), content_type="application/rss+xml")


def _watcher(store: Store, server: Any, tmp_path: Path, watchlist: Watchlist, **kw: Any) -> Watcher:
    watcher = Watcher(
        store,
        [server.url("/rss.xml")],
        settings=loopback_settings(),
        options=options(),
        watchlist=watchlist,
        sinks=[LinesSink(str(tmp_path / "alerts.jsonl"))],
        analyzer=CountingAnalyzer(),
        **kw,
    )
    watcher.start()
    return watcher


def _kinds(tmp_path: Path) -> list[tuple[str, str]]:
    return [(a["kind"], a["rule"]) for a in read_alerts(tmp_path / "alerts.jsonl")]


def test_new_claim_and_status_change_follow_the_rules(server, db_url: str, tmp_path: Path) -> None:
    rules = parse_watchlist(
        {
            "rules": [
                {"name": "port", "keywords": ["port militaire"]},
                {"name": "armees", "actors": ["Armées"]},
            ]
        },
        source="test",
    )
    news = Newsroom(server)
    news.publish("a", "Le Courrier", "CLAIM brest unverified: un contrat secret pour le port militaire.")
    news.publish("b", "Le Courrier", "CLAIM tram reported: le tramway sera gratuit.")
    with Store.open(db_url) as store:
        watcher = _watcher(store, server, tmp_path, rules)
        run_cycle(watcher)
        assert _kinds(tmp_path) == [("new_claim", "port")]
        news.publish("c", "La Gazette", "CLAIM brest denied: un contrat secret pour le port militaire.")
        report = run_cycle(watcher)
        assert report.alerts == 1
        assert _kinds(tmp_path)[1:] == [("status_change", "port")]
        change = read_alerts(tmp_path / "alerts.jsonl")[1]
        assert (change["previous_status"], change["status"]) == ("unverified", "denied")
        assert change["details"]["outlet"] == "La Gazette"
        assert [e["role"] for e in change["evidence"]] == ["statement", "denial"]
        run_cycle(watcher)  # nothing new: nothing raised, nothing re-delivered
        assert len(_kinds(tmp_path)) == 2


def test_confirmation_after_a_denial_is_a_contradiction(server, db_url: str, tmp_path: Path) -> None:
    news = Newsroom(server)
    news.publish("a", "Le Courrier", "CLAIM k reported: le pont sera fermé tout l'été.")
    news.publish("b", "La Gazette", "CLAIM k denied: le pont sera fermé tout l'été.")
    with Store.open(db_url) as store:
        watcher = _watcher(store, server, tmp_path, DEFAULT_WATCHLIST)
        run_cycle(watcher)
        assert _kinds(tmp_path) == []  # first seen already denied: a new claim, not a change
        news.publish("c", "Le Matin", "CLAIM k confirmed: le pont sera fermé tout l'été.")
        run_cycle(watcher)
        alerts = read_alerts(tmp_path / "alerts.jsonl")
        assert sorted(a["kind"] for a in alerts) == ["contradiction", "status_change"]
        contradiction = next(a for a in alerts if a["kind"] == "contradiction")
        assert contradiction["details"]["denied_by"] == ["La Gazette"]
        assert contradiction["details"]["stated_by"] == ["Le Matin"]
        assert contradiction["url"] == server.url("/c.html")


def test_fact_stated_after_a_denial_is_a_contradiction(server, db_url: str, tmp_path: Path) -> None:
    news = Newsroom(server)
    news.publish(
        "a",
        "Le Courrier",
        "CLAIM otan unverified: Minsk négocierait avec l'OTAN.",
        "EVENT 046 BY BLRGOV>IGOWSTNAT claimed c0: Minsk négocierait avec l'OTAN.",
    )
    news.publish("b", "La Gazette", "CLAIM otan denied: Minsk négocierait avec l'OTAN.")
    with Store.open(db_url) as store:
        watcher = _watcher(store, server, tmp_path, DEFAULT_WATCHLIST)
        run_cycle(watcher)
        assert _kinds(tmp_path) == []
        news.publish("c", "Le Matin", "EVENT 046 BY BLRGOV>IGOWSTNAT: Minsk négocie avec l'OTAN.")
        run_cycle(watcher)
        alerts = read_alerts(tmp_path / "alerts.jsonl")
        assert [a["kind"] for a in alerts] == ["contradiction"]
        assert alerts[0]["details"]["stated_by"] == ["Le Matin"]
        assert alerts[0]["evidence"][-1]["role"] == "assertion"


def test_burst_of_events_in_a_country(server, db_url: str, tmp_path: Path) -> None:
    rules = parse_watchlist(
        {
            "name": "sahel",
            "cameo": ["19"],
            "countries": ["MLI"],
            "thresholds": {"burst_events": 3, "burst_sources": 2, "burst_hours": 24},
        },
        source="test",
    )
    news = Newsroom(server)
    news.publish("a", "Le Courrier", "EVENT 190 ML: combats au nord.", "EVENT 190 FR: exercice.")
    news.publish("b", "La Gazette", "EVENT 193 ML: attaque d'un convoi.")
    clock = lambda: dt.datetime(2025, 3, 10, 12)  # noqa: E731 - the fake pages are of that day
    with Store.open(db_url) as store:
        watcher = _watcher(store, server, tmp_path, rules, clock=clock)
        run_cycle(watcher)
        assert _kinds(tmp_path) == []  # two events: under the threshold
        news.publish("c", "Le Matin", "EVENT 195 ML: frappe aérienne.")
        run_cycle(watcher)
        alerts = read_alerts(tmp_path / "alerts.jsonl")
        assert [(a["kind"], a["details"]["country"], a["details"]["events"]) for a in alerts] == [
            ("burst", "ML", 3)
        ]
        news.publish("d", "Le Matin", "EVENT 190 ML: nouveaux combats.")
        run_cycle(watcher)
        assert len(read_alerts(tmp_path / "alerts.jsonl")) == 1  # quiet for the rest of the window


def test_delivery_at_most_once_per_destination(server, db_url: str, tmp_path: Path) -> None:
    news = Newsroom(server)
    news.publish("a", "Le Courrier", "CLAIM k reported: la gare fermera.")
    server.set("/hook", "", status=204)
    with Store.open(db_url) as store:
        watcher = _watcher(store, server, tmp_path, DEFAULT_WATCHLIST)
        run_cycle(watcher)
        news.publish("b", "La Gazette", "CLAIM k denied: la gare fermera.")
        run_cycle(watcher)
        file_sink = LinesSink(str(tmp_path / "alerts.jsonl"))
        hook = WebhookSink(server.url("/hook"), user_agent="veille-test")
        down = WebhookSink("http://127.0.0.1:9/hook", user_agent="veille-test")  # nothing listens
        # Destinations added now start after the alerts raised so far; rewind them to see it all.
        register(store, [hook, down])
        with store.engines.write.begin() as conn:
            conn.execute(update(StoreState).where(StoreState.key.like("watch_dest_%")).values(value="0"))
        assert deliver(store, [file_sink, hook, down]) == 1  # the hook; the file had it already
        assert deliver(store, [file_sink, hook, down]) == 0
        assert len(read_alerts(tmp_path / "alerts.jsonl")) == 1
        assert [json.loads(p)["kind"] for p in server.posts] == ["status_change"]
        with store.read() as conn:
            statuses = dict(conn.execute(select(AlertDelivery.destination, AlertDelivery.status)).all())
            attempts = conn.execute(
                select(AlertDelivery.attempts).where(AlertDelivery.destination == down.destination)
            ).scalar()
        assert statuses[hook.destination] == "sent" and statuses[down.destination] == "retry"
        assert attempts == 2
        # A delivery claimed but never confirmed (killed while sending) is not sent again.
        with store.engines.write.begin() as conn:
            conn.execute(update(AlertDelivery).values(status="sending"))
            alert_id = conn.execute(select(Alert.id)).scalar()
        assert alert_id is not None
        assert deliver(store, [file_sink, hook, down]) == 0
        assert len(server.posts) == 1
        for sink in (file_sink, hook, down):
            sink.close()
