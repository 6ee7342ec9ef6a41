"""Prepared statements of the event list's hot path (:func:`veille.store.read_events._page_ids`).

Building a SQLAlchemy statement with subqueries costs about a millisecond of Python, far more than
SQLite needs to run it from an index: the statements below are built once per shape, with every
value a bound parameter, and reused (SQLAlchemy then also reuses their compiled form).
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from sqlalchemy import BinaryExpression, ColumnElement, Connection, Date, bindparam, func, select, union
from sqlalchemy.sql import operators

from veille.store.read_common import AnySelect
from veille.store.records import EventRow

_EVENTS = EventRow.__table__
CODE_COLUMNS = ("source_code", "target_code")


@cache
def _skip_scan(name: str, limit: int) -> AnySelect:
    column = _EVENTS.c[name]
    first = select(func.min(column)).where(column >= bindparam("low"), column < bindparam("high"))
    codes = select(first.scalar_subquery().label("code")).cte("codes", recursive=True)
    following = select(func.min(column)).where(column > codes.c.code, column < bindparam("high"))
    codes = codes.union_all(
        select(following.scalar_subquery().label("code")).where(codes.c.code.is_not(None))
    )
    return select(codes.c.code).where(codes.c.code.is_not(None)).limit(limit)


def codes_in_range(conn: Connection, name: str, low: str, high: str, *, limit: int) -> list[str]:
    """The distinct values of the code column ``name`` in ``[low, high)``, at most ``limit``.

    A skip scan: each step seeks the next larger value in the column's index (``min(column) >
    previous``), so it costs one index probe per distinct code instead of reading every event of
    the range as ``SELECT DISTINCT`` does (USA*: 2.3 ms → 0.01 ms of SQL on 112,800 events).
    """
    return [str(c) for (c,) in conn.execute(_skip_scan(name, limit), {"low": low, "high": high})]


def equality(option: ColumnElement[bool]) -> tuple[str, Any] | None:
    """``(column name, value)`` when ``option`` is ``events.column == value``, else None."""
    if not isinstance(option, BinaryExpression) or option.operator is not operators.eq:
        return None
    column, value = option.left, option.right
    if getattr(column, "table", None) is not _EVENTS or not hasattr(value, "value"):
        return None
    return str(column.key), value.value


@lru_cache(maxsize=256)
def merged_page(arms: tuple[str, ...], has_from: bool, has_to: bool, postgres: bool) -> AnySelect:
    """One page of event ids merged from one ``column = :v<i>`` arm per entry of ``arms``.

    Each arm reads its (column, day) index newest first, at most ``:depth`` (limit + offset) ids;
    the union of those short lists is sorted and paged (``:page_limit``, ``:page_offset``). Day
    bounds ``:date_from`` / ``:date_to`` apply to every arm when present.
    """
    day = _EVENTS.c.day
    order = [day.desc().nulls_last() if postgres else day.desc(), _EVENTS.c.id.desc()]
    bounds: list[ColumnElement[bool]] = []
    if has_from:
        bounds.append(day >= bindparam("date_from", type_=Date()))
    if has_to:
        bounds.append(day <= bindparam("date_to", type_=Date()))
    parts = []
    for i, name in enumerate(arms):
        arm = (
            select(_EVENTS.c.id, day)
            .where(*bounds, _EVENTS.c[name] == bindparam(f"v{i}"))
            .order_by(*order)
            .limit(bindparam("depth"))
            .subquery()
        )
        parts.append(select(arm.c.id, arm.c.day))
    merged = (union(*parts) if len(parts) > 1 else parts[0]).subquery()
    merged_day = merged.c.day.desc().nulls_last() if postgres else merged.c.day.desc()
    return (
        select(merged.c.id)
        .order_by(merged_day, merged.c.id.desc())
        .limit(bindparam("page_limit"))
        .offset(bindparam("page_offset"))
    )
