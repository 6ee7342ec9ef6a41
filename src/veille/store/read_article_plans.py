"""Prepared statements of the article list without words (:func:`veille.store.read_articles.search_articles`).

A list filtered by language, outlet and days, newest first, is served by the (language | outlet,
published) indexes in well under a millisecond; building its select and SQLAlchemy's cache key of
it cost more than that. The statements below are built once per filter shape, every value bound.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, Date, bindparam, select

from veille.store.prepared import fetch
from veille.store.read_common import COUNT_CAP, AnySelect, capped_count_of, known_total
from veille.store.schema import ArticleRow

if TYPE_CHECKING:
    from veille.store.read_articles import ArticleFilter

# Which of (language, outlet, date_from, date_to) a filter has; the values are bound apart.
Shape = tuple[bool, bool, bool, bool]


def bound_filter(flt: ArticleFilter) -> tuple[Shape, dict[str, Any]]:
    """The filter's shape and the values to bind (its words are not part of it)."""
    named = (("language", flt.language), ("outlet", flt.outlet))
    dated = (("date_from", flt.date_from), ("date_to", flt.date_to))
    values = {name: value for name, value in named if value} | {k: v for k, v in dated if v is not None}
    shape = ("language" in values, "outlet" in values, "date_from" in values, "date_to" in values)
    return shape, values


@cache
def bound_conditions(shape: Shape) -> tuple[ColumnElement[bool], ...]:
    """The conditions of ``read_articles._filters`` (by index) for filters of ``shape``, bound."""
    has_language, has_outlet, has_from, has_to = shape
    where = []
    if has_from:
        where.append(ArticleRow.published >= bindparam("date_from", type_=Date()))
    if has_to:
        where.append(ArticleRow.published <= bindparam("date_to", type_=Date()))
    if has_language:
        where.append(ArticleRow.language == bindparam("language"))
    if has_outlet:
        where.append(ArticleRow.outlet == bindparam("outlet"))
    return tuple(where)


@cache
def newest_page(shape: Shape, postgres: bool) -> AnySelect:
    """One page (``:page_limit``, ``:page_offset``) of the articles matching ``shape``, newest first."""
    newest = ArticleRow.published.desc().nulls_last() if postgres else ArticleRow.published.desc()
    return (
        select(ArticleRow.id)
        .where(*bound_conditions(shape))
        .order_by(newest, ArticleRow.id.desc())
        .limit(bindparam("page_limit"))
        .offset(bindparam("page_offset"))
    )


@cache
def capped_count_statement(shape: Shape, cap: int) -> AnySelect:
    """``read_common.capped_count`` of the articles matching ``shape``: at most ``cap + 1`` counted."""
    return capped_count_of(ArticleRow, bound_conditions(shape), cap=cap)


def newest_ids(
    conn: Connection, flt: ArticleFilter, *, limit: int, offset: int, cap: int = COUNT_CAP
) -> tuple[list[int], int, bool]:
    """One page of the ids of the articles matching ``flt`` (words aside), newest first, with
    ``(total, exact)`` as ``capped_count`` gives it."""
    shape, values = bound_filter(flt)
    page = {**values, "page_limit": limit, "page_offset": offset}
    ids = [int(i) for (i,) in fetch(conn, newest_page(shape, conn.dialect.name == "postgresql"), page)]
    known = known_total(len(ids), limit=limit, offset=offset, cap=cap)
    if known is not None:
        return ids, *known
    ((found,),) = fetch(conn, capped_count_statement(shape, cap), values)
    return ids, min(int(found), cap), int(found) <= cap
