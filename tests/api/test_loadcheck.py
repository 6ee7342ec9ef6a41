"""The load-check tools: the replicating generator, the query mix, and the UNION-merged event pages."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from veille.api.app import create_app
from veille.api.loadcheck import main, percentile, report
from veille.api.loadgen import generate
from veille.api.loadmix import MIX, make_request, vocabulary
from veille.errors import StoreError
from veille.store import Store
from veille.store.read_common import capped_count
from veille.store.read_event_plans import merge_of
from veille.store.read_events import EventFilter, _page_ids, conditions, count_events
from veille.store.records import EventRow
from veille.store.schema import ArticleRow


@pytest.fixture(scope="module")
def generated(sample: tuple[str, dict[str, int]], tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('load') / 'big.sqlite'}"
    made = generate(sample[0], url, events=60, articles=10)
    assert (made.articles, made.copies, made.event_factor, made.events) == (10, 5, 3, 60)
    return url


def test_copies_keep_valid_offsets_and_spread_days(generated: str) -> None:
    with Store.open(generated) as store, store.read() as conn:
        assert conn.execute(select(func.count(func.distinct(ArticleRow.source_key)))).scalar_one() == 10
        rows = conn.execute(
            select(
                ArticleRow.text, EventRow.evidence_start, EventRow.evidence_end, EventRow.evidence_text
            ).join(ArticleRow, ArticleRow.id == EventRow.article_id)
        ).all()
        assert len(rows) == 60 and all(t[s:e] == ev for t, s, e, ev in rows)
        days = {d for (d,) in conn.execute(select(EventRow.day))}
        assert len(days) > 10
    with pytest.raises(StoreError, match="not empty"):
        generate(generated, generated, events=10, articles=2)


def test_source_without_events_is_refused(tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    Store.open(empty).close()
    with pytest.raises(StoreError, match="no events"):
        generate(empty, f"sqlite:///{tmp_path / 't.sqlite'}")


@pytest.mark.parametrize(
    "flt",
    [
        EventFilter(actor="LV"),
        EventFilter(actor="LVAGOV", actor_exact=True),
        EventFilter(country="LV"),
        EventFilter(country="RUS", date_from=dt.date(2021, 1, 1)),
        EventFilter(actor="L", root="11"),
        EventFilter(actor="LVA", country="LT"),
        EventFilter(country="ZZZ"),
    ],
)
def test_merged_pages_equal_one_sorted_query(generated: str, flt: EventFilter) -> None:
    with Store.open(generated) as store, store.read() as conn:
        for offset in (0, 7, 40):
            naive = conn.execute(
                select(EventRow.id)
                .where(*conditions(flt))
                .order_by(EventRow.day.desc(), EventRow.id.desc())
                .limit(10)
                .offset(offset)
            )
            assert _page_ids(conn, flt, limit=10, offset=offset) == [i for (i,) in naive], offset
        # The count of the same OR group, as list_events makes it, under and over the cap.
        merge = merge_of(conn, flt)
        for cap in (5, 1000):
            plain = capped_count(conn, select(EventRow.id).where(*conditions(flt)), cap=cap)
            assert count_events(conn, flt, cap=cap, merge=merge) == plain, cap


def test_query_mix_is_valid(generated: str) -> None:
    v = vocabulary(generated)
    rng = random.Random(5)
    with TestClient(create_app(db_url=generated, read_only=True)) as client:
        for kind in MIX:
            for _ in range(8):
                path, params = make_request(kind, rng, v)
                assert client.get(path, params=params).status_code in (200, 404), (kind, path, params)


def test_percentiles_and_report() -> None:
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert percentile([float(i) for i in range(1, 101)], 0.95) == 95.0
    table, figures = report({"events.filter": [1.0, 2.0, 30.0]}, {}, 2.0, clients=3)
    assert figures["requests"] == 3 and figures["rps"] == 1.5 and figures["p95_ms"] == 30.0
    assert table.splitlines()[0].startswith("query")


def test_only_loopback_servers(generated: str) -> None:
    with pytest.raises(SystemExit):
        main(["--db", generated, "--url", "http://example.org:8000", "--seconds", "1"])


def test_a_short_run_against_a_real_server(generated: str) -> None:
    lines: list[str] = []
    args = ["--db", generated, "--clients", "3", "--seconds", "1.5", "--warmup", "0.5", "--workers", "2"]
    figures = main(args, echo=lines.append)
    assert figures["requests"] > 0 and figures["errors"] == 0
    assert figures["events_in_store"] == 60 and figures["workers"] == 2 and figures["cache"] is True
    assert 0 <= figures["cache_hits"] <= figures["requests"]
    assert all(seconds > 0 for seconds in figures["server_cpu_by_process_s"])
    assert "\nserver CPU by process: " in lines[-2]
    assert lines[-1].startswith("{") and "p95_ms" in lines[-1]
