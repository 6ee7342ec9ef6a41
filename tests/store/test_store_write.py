"""The single write path: insert, skip unchanged, replace changed content in one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from store_fakes import POMPEO, analysis, rich_analysis

from veille.store import SourceInfo, Store, content_hash
from veille.store.queries import search
from veille.store.records import ActorRow, ClaimEvidenceRow, ClaimRow, EventRow, PlaceRow, QuoteRow
from veille.store.schema import ArticleRow, Mention
from veille.store.write import write_analysis


def _source(key: str, body: str, **meta: str) -> SourceInfo:
    return SourceInfo(key=key, content_hash=content_hash(body), url=meta.pop("url", None), meta=meta)


def _count(store: Store, model: type) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_new_then_unchanged_then_updated(store: Store) -> None:
    first = store.write(rich_analysis(POMPEO, url="https://a.example/1"), _source("k1", POMPEO))
    assert first.status == "new"
    again = store.write(rich_analysis(POMPEO), _source("k1", POMPEO))
    assert (again.status, again.article_id) == ("unchanged", first.article_id)
    changed = POMPEO.replace("Saturday", "Sunday")
    updated = store.write(rich_analysis(changed), _source("k1", changed))
    assert (updated.status, updated.article_id) == ("updated", first.article_id)
    # The records were replaced, not added to.
    for model in (EventRow, ClaimRow, ClaimEvidenceRow, QuoteRow, ActorRow, PlaceRow):
        assert _count(store, model) == 1, model
    assert _count(store, Mention) == 2  # one event mention, one claim mention
    with store.read() as conn:
        assert conn.execute(select(ArticleRow.text)).scalar_one() == changed


def test_article_fields_and_metadata_fallbacks(store: Store) -> None:
    body = "A short text about Pompeo in Minsk that nobody dated."
    store.write(
        analysis(body, published=None),
        _source(
            "corpus#1",
            body,
            url="https://www.news.example/a/?utm_source=x#top",
            published="2020-02-03",
            source="News Example",
            title="Container title",
        ),
    )
    with store.read() as conn:
        row = Session(bind=conn).scalars(select(ArticleRow)).one()
    assert row.published.isoformat() == "2020-02-03" and row.published_source == "metadata"
    assert row.outlet == "News Example" and row.title == "Container title"
    assert row.canonical_url == "https://www.news.example/a"
    assert row.analysis["article"].get("text") is None  # text stored once, in its column
    assert row.content_hash == content_hash(body)


def test_records_keep_offsets_and_links(store: Store) -> None:
    store.write(rich_analysis(POMPEO), _source("k", POMPEO))
    with store.read() as conn:
        ev = Session(bind=conn).scalars(select(EventRow)).one()
        cl = Session(bind=conn).scalars(select(ClaimRow)).one()
        evidence = Session(bind=conn).scalars(select(ClaimEvidenceRow)).one()
    assert POMPEO[ev.evidence_start : ev.evidence_end] == ev.evidence_text == "visited Minsk"
    assert (ev.root_code, ev.base_code, ev.quad_class, ev.goldstein) == ("04", "042", 1, 1.9)
    assert ev.is_root_event and ev.sentence_id == 1 and ev.day.isoformat() == "2020-02-01"
    assert POMPEO[evidence.start : evidence.end] == cl.text


def test_full_text_search_follows_updates(store: Store) -> None:
    store.write(
        analysis("Quarterly profits of the chip maker jumped sharply this winter season."), _source("k", "v1")
    )
    with store.read() as conn:
        assert [t for _, t in search(conn, "chip profits")] == [None]
    store.write(
        analysis("Rainfall records were broken across the northern provinces this week."), _source("k", "v2")
    )
    with store.read() as conn:
        assert search(conn, "chip profits") == []
        assert len(search(conn, "rainfall")) == 1


def test_a_failed_write_leaves_nothing_behind(store: Store) -> None:
    # Whatever breaks inside the transaction (here: after all rows were written), nothing stays.
    with pytest.raises(RuntimeError), store.engines.write.begin() as conn:
        write_analysis(conn, rich_analysis(POMPEO), _source("k", POMPEO))
        raise RuntimeError("crash after the writes")
    assert _count(store, ArticleRow) == 0 and _count(store, Mention) == 0 and _count(store, EventRow) == 0


def test_readers_never_block_the_writer(store: Store) -> None:
    store.write(analysis(POMPEO), _source("k0", "v0"))
    with store.read() as reader, reader.begin():
        before = reader.execute(select(func.count()).select_from(ArticleRow)).scalar_one()
        # A long read transaction is open: the writer goes through at once (no lock wait).
        result = store.write(analysis(POMPEO), _source("k1", "v1"))
        assert result.status == "new"
        assert before == 1
    assert _count(store, ArticleRow) == 2
