"""The API's hot reads on SQLite: statements compiled once, run on the driver's connection.

SQLAlchemy's execution path (the statement's cache key, an execution context, result metadata,
``Row`` objects) costs as much Python as SQLite needs to run the small indexed reads the API
serves: a page of 50 events by id took 1.7 ms through ``Connection.execute`` and 0.85 ms here, on
a 112,800-event store. :func:`fetch` compiles a statement once per process, binds and converts
values with the type processors SQLAlchemy itself would apply (dates, booleans, JSON), runs it on
the DBAPI connection inside the connection's transaction (the same snapshot as every other read of
the request), and returns plain tuples in the statement's column order.

Other databases go through ``Connection.execute`` and give the same tuples: the statement is the
one object both paths run, so there is no second copy of any query.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Plan:
    """One statement compiled for one dialect, with its value converters."""

    compiled: SQLCompiler
    names: tuple[str, ...]  # bound names in placeholder order (a name may repeat)
    binders: dict[str, Processor]  # name -> converter of a bound value, where the type has one
    fixed: dict[str, Any]  # values written into the statement itself (literals), converted
    expanding: frozenset[str]  # IN (…) parameters: one placeholder per element, rendered per call
    results: tuple[tuple[int, Processor], ...]  # (column index, converter) of the columns that need one
    # SQL of the statement per element count of its IN lists (when only IN lists are rendered
    # per call): rendering it took 40 µs a call, about 5 % of a page of events by id.
    expanded: dict[tuple[int, ...], str]
    only_lists: bool  # no other value is written into the statement per call (literal_execute)


_PLANS: weakref.WeakKeyDictionary[Executable, _Plan] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _plan(statement: Executable, dialect: Dialect) -> _Plan:
    with _LOCK:
        found = _PLANS.get(statement)
    if found is not None:
        return found
    compiled = statement.compile(dialect=dialect) if isinstance(statement, ClauseElement) else None
    if (
        not isinstance(compiled, SQLCompiler)
        or compiled.positiontup is None
        or compiled.isinsert
        or compiled.isupdate
        or compiled.isdelete
    ):
        raise TypeError("fetch() runs SELECT statements on a positional-parameter driver")
    binders: dict[str, Processor] = {}
    fixed: dict[str, Any] = {}
    expanding: set[str] = set()
    for name, bind in compiled.binds.items():
        convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            binders[name] = convert
        if bind.expanding:
            expanding.add(name)
        if not bind.required:
            value = bind.effective_value
            fixed[name] = convert(value) if convert is not None and value is not None else value
    columns: Sequence[Any] = getattr(statement, "selected_columns", ())
    converters = (column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)
    plan = _Plan(
        compiled=compiled,
        names=tuple(compiled.positiontup),
        binders=binders,
        fixed=fixed,
        expanding=frozenset(expanding),
        results=tuple((i, convert) for i, convert in enumerate(converters) if convert is not None),
        expanded={},
        only_lists=all(bind.expanding for bind in compiled.post_compile_params),
    )
    with _LOCK:
        _PLANS[statement] = plan
    return plan


def column_names(statement: Any) -> tuple[str, ...]:
    """The names of a SELECT's columns, in the order :func:`fetch` gives their values."""
    return tuple(str(column.key) for column in statement.selected_columns)


def _bound(plan: _Plan, params: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(plan.fixed)
    for name, value in params.items():
        convert = plan.binders.get(name)
        if convert is None or value is None:
            values[name] = value
        elif name in plan.expanding:
            values[name] = [convert(v) for v in value]
        else:
            values[name] = convert(value)
    return values


def fetch(
    conn: Connection, statement: Executable, params: Mapping[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    """Every row of the SELECT ``statement`` with ``params`` bound, as tuples of Python values."""
    params = params or {}
    if conn.dialect.name != "sqlite":
        return [tuple(row) for row in conn.execute(statement, dict(params))]
    plan = _plan(statement, conn.dialect)
    values = _bound(plan, params)
    if plan.expanding:
        sql, positional = _expanded(plan, values)
    else:
        sql, positional = plan.compiled.string, tuple(values[name] for name in plan.names)
    if not conn.in_transaction():
        conn.begin()  # the engine's BEGIN: this read sees the request's snapshot
    driver = conn.connection.driver_connection
    if driver is None:
        raise RuntimeError("the connection is closed")
    error = conn.dialect.loaded_dbapi.Error
    try:
        cursor = driver.execute(sql, positional)
        try:
            rows: list[tuple[Any, ...]] = cursor.fetchall()
        finally:
            cursor.close()
    except error as exc:
        # As SQLAlchemy would raise it (a locked or missing database stays an OperationalError,
        # which the API answers with 503), not the driver's own class.
        raise DBAPIError.instance(sql, positional, exc, error) from exc
    if not plan.results:
        return rows
    return [_converted(plan.results, row) for row in rows]


def _expanded(plan: _Plan, values: dict[str, Any]) -> tuple[str, Sequence[Any]]:
    """The SQL and positional values with each IN list rendered as one placeholder per element."""
    lists = [values[name] for name in plan.names if name in plan.expanding]
    key = tuple(len(v) for v in lists)
    # Empty lists render as a subquery, tuples as rows of placeholders: left to SQLAlchemy.
    plain = plan.only_lists and all(key) and not any(isinstance(v[0], tuple) for v in lists)
    sql = plan.expanded.get(key) if plain else None
    if sql is None:
        state = plan.compiled.construct_expanded_state(values)
        if plain:
            plan.expanded[key] = state.statement
        return state.statement, state.positional_parameters
    positional: list[Any] = []
    for name in plan.names:  # a list's elements take its placeholder's place, in order
        value = values[name]
        if name in plan.expanding:
            positional.extend(value)
        else:
            positional.append(value)
    return sql, positional


def _converted(results: tuple[tuple[int, Processor], ...], row: tuple[Any, ...]) -> tuple[Any, ...]:
    values = list(row)
    for i, convert in results:
        if values[i] is not None:
            values[i] = convert(values[i])
    return tuple(values)
