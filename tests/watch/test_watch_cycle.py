"""Cycles against a loopback server: exactly-once ingest, copies, conditional GET, changed content."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from watch_fakes import CountingAnalyzer, page, rss
from watch_helpers import loopback_settings, options, run_cycle

from veille.store import Store
from veille.store.schema import ArticleRow
from veille.store.watch_tables import WatchItem, WatchSource
from veille.watch import Watcher


def _count(store: Store, model: object) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())  # type: ignore[arg-type]


def test_feed_items_are_analysed_once_and_copies_linked(server, db_url: str, tmp_path: Path) -> None:
    server.set("/a.html", page("Un", "Le Courrier", "Premier article du courrier."))
    server.set("/b.html", page("Deux", "Le Courrier", "Second article du courrier."))
    items = [("Un", server.url("/a.html"), "court"), ("Deux", server.url("/b.html"), "court")]
    server.set("/rss.xml", rss("Le Courrier", items), content_type="application/rss+xml")
    analyzer = CountingAnalyzer()
    with Store.open(db_url) as store:
        watcher = Watcher(
            store,
            [server.url("/rss.xml")],
            settings=loopback_settings(),
            options=options(),
            analyzer=analyzer,
        )
        watcher.start()
        first = run_cycle(watcher)
        assert first.counts["new"] == 2 and first.analysed == 2
        server.set("/copy.html", server.pages["/b.html"].body)
        server.set(
            "/rss.xml",
            rss("Le Courrier", [*items, ("Copie", server.url("/copy.html"), "court")]),
            content_type="application/rss+xml",
        )
        second = run_cycle(watcher)
        assert second.counts["copies"] == 1 and second.analysed == 0
        assert second.counts["unchanged"] == 2  # known links are not read again
        assert server.hits["/a.html"] == 1 and server.hits["/b.html"] == 1
        third = run_cycle(watcher)
        assert third.unchanged_sources == 1 and third.pages == 0 and third.analysed == 0
        assert server.conditional["/rss.xml"] == 2
        assert len(analyzer.documents) == 2
        assert _count(store, ArticleRow) == 2
        with store.read() as conn:
            links = dict(conn.execute(select(WatchItem.key, WatchItem.article_id)).all())
            original = conn.execute(
                select(ArticleRow.id).where(ArticleRow.source_key == server.url("/b.html"))
            ).scalar_one()
            source = conn.execute(select(WatchSource)).one()
        assert links[server.url("/copy.html")] == original
        assert source.cursor is not None and source.etag and source.error_count == 0
