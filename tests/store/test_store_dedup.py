"""Near-duplicates across the store: wire copies grouped, one canonical, mentions kept."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from store_fakes import analysis, event

from veille.store import SourceInfo, Store, content_hash
from veille.store.schema import ArticleRow, Mention, NearDuplicate

WIRE = (
    "The central bank raised its main interest rate by half a point on Thursday, the third increase "
    "this year, citing persistent inflation in food and energy prices. The governor said further "
    "moves would depend on wage growth and on the exchange rate over the coming months. Markets "
    "had expected a smaller rise, and the currency strengthened after the announcement."
)
COPY = WIRE.replace("Markets had expected a smaller rise", "Most analysts had expected a smaller rise") + (
    " Exporters warned the decision would hurt them."
)
OTHER = (
    "Heavy snow closed mountain roads across the region on Sunday and forced the cancellation of "
    "dozens of flights, while rescue teams searched for two hikers reported missing near the pass. "
    "Forecasters expect the storm to ease by Tuesday evening."
)


def _write(store: Store, key: str, text: str, published: str, outlet: str) -> int:
    result = store.write(
        analysis(
            text,
            published=published,
            outlet=outlet,
            events=[
                event(text, text.split()[1], cameo="040", source="Minsk", target="Moscow", date=published)
            ],
        ),
        SourceInfo(key=key, content_hash=content_hash(text)),
    )
    assert result.article_id is not None
    return result.article_id


def test_wire_copies_grouped_with_one_canonical(store: Store) -> None:
    late = _write(store, "b", COPY, "2021-03-05", "Second Paper")
    early = _write(store, "a", WIRE, "2021-03-04", "Wire Service")
    unrelated = _write(store, "c", OTHER, "2021-03-04", "Weather Desk")
    stats = store.relink()
    assert stats is not None and stats.duplicate_groups == 1
    with store.read() as conn:
        rows = {r.id: r for r in Session(bind=conn).scalars(select(ArticleRow))}
        pairs = Session(bind=conn).scalars(select(NearDuplicate)).all()
        mentions = conn.execute(select(Mention.article_id)).scalars().all()
    assert rows[early].dedup_group == rows[late].dedup_group is not None
    assert rows[early].is_canonical and not rows[late].is_canonical  # the earliest published
    assert rows[unrelated].dedup_group is None and rows[unrelated].is_canonical
    assert len(pairs) == 1 and 0.5 <= pairs[0].similarity < 1.0
    assert sorted(mentions) == sorted([early, late, unrelated])  # copies keep their mentions


def test_updating_a_copy_away_breaks_the_group(store: Store) -> None:
    _write(store, "a", WIRE, "2021-03-04", "Wire Service")
    _write(store, "b", COPY, "2021-03-05", "Second Paper")
    store.relink()
    _write(store, "b", OTHER, "2021-03-05", "Second Paper")
    store.relink()
    with store.read() as conn:
        assert Session(bind=conn).scalars(select(NearDuplicate)).all() == []
        assert set(conn.execute(select(ArticleRow.dedup_group)).scalars()) == {None}


def test_relink_only_when_something_changed(store: Store) -> None:
    _write(store, "a", WIRE, "2021-03-04", "Wire Service")
    assert store.relink() is not None
    assert store.relink() is None
    assert store.relink(force=True) is not None
