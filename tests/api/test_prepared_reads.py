"""``veille.store.prepared.fetch`` gives what ``Connection.execute`` gives, inside the same snapshot."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Boolean, Connection, Date, Integer, bindparam, func, literal, select, text, update
from sqlalchemy.exc import OperationalError

from veille.store import Store
from veille.store.prepared import fetch
from veille.store.read_articles import (
    _ARTICLE,
    _CLAIMS,
    _HITS_BY_IDS,
    _QUOTES,
    _REMOVED,
    CLAIM_EVIDENCE,
    _spans_query,
)
from veille.store.read_event_plans import bound_filter, capped_count_statement, merged_page, sorted_page
from veille.store.read_events import _EVENTS_OF_ARTICLE, _ITEMS_BY_IDS, EventFilter
from veille.store.records import DateRow, EventRow, PlaceRow
from veille.store.schema import ArticleRow


def _plain(conn: Connection, statement: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.execute(statement, params)]


def _same(conn: Connection, statement: Any, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = fetch(conn, statement, params)
    expected = _plain(conn, statement, params)
    assert rows == expected
    # Equal values of the same types (a date stays a date, a flag a bool, a JSON list a list).
    assert [[type(v) for v in row] for row in rows] == [[type(v) for v in row] for row in expected]
    return rows


def test_the_read_statements_give_the_same_rows(sample: tuple[str, dict[str, int]]) -> None:
    with Store.open(sample[0]) as store, store.read() as conn:
        article_ids = [int(i) for (i,) in conn.execute(select(ArticleRow.id))]
        event_ids = [int(i) for (i,) in conn.execute(select(EventRow.id))]
        assert article_ids and event_ids
        checked = 0
        for article_id in article_ids:
            one = {"article_id": article_id}
            for statement in (_ARTICLE, _REMOVED, _QUOTES, _CLAIMS, _EVENTS_OF_ARTICLE):
                checked += len(_same(conn, statement, one))
            checked += len(_same(conn, _spans_query(DateRow, ("type", "value", "range_start")), one))
            checked += len(_same(conn, _spans_query(PlaceRow, ("name", "lat", "lon", "kind")), one))
        assert checked > len(article_ids)  # the articles have records, not only headers
        items = _same(conn, _ITEMS_BY_IDS, {"ids": event_ids})
        assert len(items) == len(event_ids)
        assert any(isinstance(row[13], dt.date) for row in items)  # the event's day
        assert _same(conn, _ITEMS_BY_IDS, {"ids": []}) == []
        _same(conn, _HITS_BY_IDS, {"ids": article_ids[:3]})
        claim_ids = [int(i) for (i,) in conn.execute(text("SELECT id FROM claims"))]
        _same(conn, CLAIM_EVIDENCE, {"claim_ids": claim_ids})


@pytest.mark.parametrize(
    "flt",
    [
        EventFilter(),
        EventFilter(date_from=dt.date(2019, 1, 1), date_to=dt.date(2030, 12, 31)),
        EventFilter(actor="USA", date_from=dt.date(2020, 1, 1)),
        EventFilter(country="FR", root="04"),
        EventFilter(country="FRA"),
        EventFilter(plover="consult", date_to=dt.date(2020, 6, 30)),
    ],
)
def test_prepared_event_pages_bind_dates_and_codes_alike(
    sample: tuple[str, dict[str, int]], flt: EventFilter
) -> None:
    shape, values = bound_filter(flt)
    with Store.open(sample[0]) as store, store.read() as conn:
        _same(conn, sorted_page(shape, False), {**values, "page_limit": 50, "page_offset": 0})
        _same(conn, capped_count_statement(shape, 1000), values)
        merged = merged_page(("source_code", "target_code"), True, False, False)
        params = {"v0": "USA", "v1": "USA", "date_from": dt.date(2019, 1, 1), "depth": 20}
        _same(conn, merged, {**params, "page_limit": 20, "page_offset": 0})


def test_in_lists_rendered_once_per_length_bind_each_call_values(sample: tuple[str, dict[str, int]]) -> None:
    # Values before, inside and after two IN lists; each length's SQL is kept and reused.
    statement = (
        select(EventRow.id, EventRow.day)
        .where(
            EventRow.day >= bindparam("since", type_=Date()),
            EventRow.id.in_(bindparam("ids", expanding=True)),
            EventRow.root_code.in_(bindparam("roots", expanding=True)),
            EventRow.id != bindparam("not_id"),
        )
        .order_by(EventRow.id)
    )
    with Store.open(sample[0]) as store, store.read() as conn:
        ids = [int(i) for (i,) in conn.execute(select(EventRow.id).order_by(EventRow.id))]
        roots = [str(r) for (r,) in conn.execute(select(EventRow.root_code).distinct())]
        since = dt.date(2000, 1, 1)
        calls = [
            (ids[:3], roots, ids[0]),
            (ids[1:4], roots, ids[2]),  # the same lengths again: the kept SQL, other values
            (ids[:1], roots[:1], -1),
            (ids, roots, ids[-1]),
            ([], roots, -1),  # an empty list is SQLAlchemy's own rendering
        ]
        for chosen, kinds, not_id in calls:
            _same(conn, statement, {"since": since, "ids": chosen, "roots": kinds, "not_id": not_id})


def test_bound_and_fixed_values_are_converted_as_sqlalchemy_does(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'types.sqlite'}") as store, store.read() as conn:
        statement = select(
            literal(dt.date(2020, 2, 4), Date()).label("fixed_day"),
            bindparam("day", type_=Date()).label("day"),
            bindparam("flag", type_=Boolean()).label("flag"),
            func.json_array(bindparam("n", type_=Integer()), "x").label("json_text"),
            bindparam("missing", type_=Date()).label("missing"),
        )
        row = _same(conn, statement, {"day": dt.date(1999, 12, 31), "flag": True, "n": 3, "missing": None})[0]
        assert row == (dt.date(2020, 2, 4), dt.date(1999, 12, 31), True, '[3,"x"]', None)


def test_fetch_reads_inside_the_connection_snapshot(
    sample: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    # A copy of the sample store: this test writes.
    url = f"sqlite:///{tmp_path / 'copy.sqlite'}"
    with (
        sqlite3.connect(sample[0].removeprefix("sqlite:///")) as source,
        sqlite3.connect(tmp_path / "copy.sqlite") as copy,
    ):
        source.backup(copy)
    with Store.open(url) as store:
        with store.read() as reader:
            first = fetch(reader, _ITEMS_BY_IDS, {"ids": [1]})
            with store.engines.write.begin() as writer:
                writer.execute(update(EventRow).where(EventRow.id == 1).values(cameo="999"))
            # The same read connection still sees its snapshot, through either path.
            assert fetch(reader, _ITEMS_BY_IDS, {"ids": [1]}) == first
            assert _plain(reader, _ITEMS_BY_IDS, {"ids": [1]}) == first
        with store.read() as fresh:
            assert fetch(fresh, _ITEMS_BY_IDS, {"ids": [1]})[0][5] == "999"


def test_fetch_refuses_what_it_cannot_prepare(sample: tuple[str, dict[str, int]]) -> None:
    with Store.open(sample[0]) as store, store.read() as conn, pytest.raises(TypeError):
        fetch(conn, update(EventRow).values(cameo="x"))


def test_driver_errors_come_out_as_sqlalchemy_errors(tmp_path: Path) -> None:
    # The API answers a database that cannot be read (OperationalError) with 503, not 500.
    url = f"sqlite:///{tmp_path / 'e.sqlite'}"
    with Store.open(url) as store, store.read() as conn, pytest.raises(OperationalError):
        fetch(conn, text("SELECT nothing FROM no_such_table"))
