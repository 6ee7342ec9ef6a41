"""Acceptance (issue I): a feed changing between cycles, analysed by the real pipeline.

Cycle 1 lists two articles of one outlet, one of them carrying a claim; cycle 2 adds an article
from another outlet that denies the claim, and a copy of an earlier article under another URL.
After two cycles: three articles (the copy linked, not analysed), the claim denied across the
store, one status-change alert; a third cycle with no change analyses and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from watch_fakes import CountingAnalyzer, page, rss
from watch_helpers import loopback_settings, options, read_alerts, run_cycle

from veille.store import Store
from veille.store.records import ClaimRow
from veille.store.schema import ArticleRow, ClaimCluster, IngestRun
from veille.store.watch_tables import Alert, WatchItem
from veille.watch import Watcher
from veille.watch.deliver import LinesSink
from veille.watch.watchlist import parse_watchlist

COURRIER = "Le Courrier de l'Ouest"
GAZETTE = "La Gazette du Littoral"

CONTRAT = page(
    "Un contrat secret pour le port de Brest ?",
    COURRIER,
    "Selon le quotidien Ouest Matin, le ministère des Armées aurait signé un contrat secret avec une "
    "société chinoise pour la gestion du port militaire de Brest.",
    "Le port militaire accueille une partie importante de la flotte française, dont les sous-marins "
    "basés sur l'île Longue. Sa gestion est un sujet sensible depuis plusieurs années.",
    "Plusieurs élus locaux demandent des explications au gouvernement et réclament la publication du "
    "document.",
)
TRAMWAY = page(
    "Rennes inaugure sa nouvelle ligne de tramway",
    COURRIER,
    "La mairie de Rennes a inauguré lundi une nouvelle ligne de tramway qui relie la gare au campus de "
    "Beaulieu. Les premières rames ont circulé dès six heures du matin.",
    "Le chantier a duré trois ans et a coûté près de deux cents millions d'euros. La ligne compte quinze "
    "stations et doit transporter quarante mille voyageurs par jour.",
)
DEMENTI = page(
    "Port de Brest : le ministère dément tout contrat secret",
    GAZETTE,
    "Selon le quotidien Ouest Matin, le ministère des Armées aurait signé un contrat secret avec une "
    "société chinoise pour la gestion du port militaire de Brest.",
    "Le ministère des Armées a démenti mardi ces informations. "
    "Un porte-parole les a qualifiées de « fausses ».",
    "Les élus locaux, qui réclamaient des explications, se disent rassurés mais demandent toujours la "
    "publication des documents relatifs à la gestion du port.",
    published="2025-03-11",
)
WATCHLIST = parse_watchlist({"rules": [{"name": "brest", "keywords": ["Brest"]}]}, source="test")


def _feed(server, *paths: str) -> None:
    items = [(p.rsplit("/", 1)[-1], server.url(p), "Lire la suite.") for p in paths]
    server.set("/flux.xml", rss("Revue de presse", items), content_type="application/rss+xml")


def _scalar(store: Store, query: object) -> object:
    with store.read() as conn:
        return conn.execute(query).scalar()  # type: ignore[call-overload]


def test_feed_changing_between_cycles(server, tmp_path: Path) -> None:
    server.set("/courrier/contrat-brest.html", CONTRAT)
    server.set("/courrier/tramway-rennes.html", TRAMWAY)
    server.set("/gazette/brest-dementi.html", DEMENTI)
    server.set("/reprise/tramway-rennes.html", TRAMWAY)  # the same bytes under another URL
    _feed(server, "/courrier/contrat-brest.html", "/courrier/tramway-rennes.html")
    alerts_file = tmp_path / "alerts.jsonl"
    analyzer = CountingAnalyzer(real=True)
    with Store.open(f"sqlite:///{tmp_path / 'veille.sqlite'}") as store:
        watcher = Watcher(
            store,
            [server.url("/flux.xml")],
            settings=loopback_settings(),
            options=options(),
            watchlist=WATCHLIST,
            sinks=[LinesSink(str(alerts_file))],
            analyzer=analyzer,
        )
        watcher.start()

        first = run_cycle(watcher)
        assert (first.counts["new"], first.analysed) == (2, 2)
        assert [a["kind"] for a in read_alerts(alerts_file)] == ["new_claim"]

        _feed(
            server,
            "/courrier/contrat-brest.html",
            "/courrier/tramway-rennes.html",
            "/gazette/brest-dementi.html",
            "/reprise/tramway-rennes.html",
        )
        second = run_cycle(watcher)
        assert (second.counts["new"], second.counts["copies"], second.analysed) == (1, 1, 1)
        assert _scalar(store, select(func.count()).select_from(ArticleRow)) == 3
        assert len(analyzer.documents) == 3
        original = _scalar(
            store,
            select(ArticleRow.id).where(ArticleRow.source_key == server.url("/courrier/tramway-rennes.html")),
        )
        copy = _scalar(
            store,
            select(WatchItem.article_id).where(WatchItem.key == server.url("/reprise/tramway-rennes.html")),
        )
        assert copy == original

        claim_cluster = _scalar(
            store, select(ClaimRow.cluster_id).where(ClaimRow.text.contains("contrat secret")).limit(1)
        )
        assert _scalar(store, select(ClaimCluster.status).where(ClaimCluster.id == claim_cluster)) == "denied"
        written = read_alerts(alerts_file)
        changes = [a for a in written if a["kind"] == "status_change"]
        assert len(changes) == 1 and len(written) == 2
        change = changes[0]
        assert (change["status"], change["previous_status"], change["rule"]) == (
            "denied",
            "unverified",
            "brest",
        )
        assert change["claim_id"] == claim_cluster
        assert change["url"] == server.url("/gazette/brest-dementi.html")
        denial = [e for e in change["evidence"] if e["role"] == "denial"]
        assert denial and "démenti" in denial[0]["text"]

        runs = _scalar(store, select(func.count()).select_from(IngestRun))
        newest = _scalar(store, select(func.max(ArticleRow.updated_at)))
        hits = dict(server.hits)
        third = run_cycle(watcher)
        assert third.analysed == 0 and third.pages == 0 and third.unchanged_sources == 1
        assert len(analyzer.documents) == 3
        assert read_alerts(alerts_file) == written
        assert _scalar(store, select(func.count()).select_from(Alert)) == 2
        assert _scalar(store, select(func.count()).select_from(IngestRun)) == runs
        assert _scalar(store, select(func.max(ArticleRow.updated_at))) == newest
        # One conditional GET of the feed (answered 304), no page read (robots.txt aside: each test
        # cycle has a fresh client, `veille watch` keeps one).
        assert server.hits.pop("/flux.xml") == hits.pop("/flux.xml") + 1
        assert server.conditional["/flux.xml"] == 2
        server.hits.pop("/robots.txt"), hits.pop("/robots.txt")
        assert dict(server.hits) == hits
