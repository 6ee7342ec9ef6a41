"""Shared pieces of the read-side queries used by the API and the web UI (``read_*`` modules).

Everything here builds SQLAlchemy Core expressions with bound parameters: user input never becomes
SQL text. Counts are capped so that a broad filter on a large store costs a bounded scan.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

import pycountry
from sqlalchemy import ColumnElement, Connection, Select, and_, func, literal, select

from veille.resources import load_tsv

T = TypeVar("T")
# A select of any columns (SQLAlchemy 2.1 types selects by their column tuple).
AnySelect = Select[*tuple[Any, ...]]

COUNT_CAP = 1_000  # totals above this are reported as "1000+" (counting costs a scan of the matches)
MAX_OFFSET = 100_000  # deeper pages are refused (a scan that long is never what a reader wants)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results; ``exact`` is False when ``total`` is only a lower bound (capped)."""

    items: list[T]
    total: int
    exact: bool
    limit: int
    offset: int


def capped_count(conn: Connection, query: AnySelect, *, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """``(count, exact)`` of the rows of ``query``, counting at most ``cap + 1`` of them."""
    inner = (
        query.with_only_columns(literal(1), maintain_column_froms=True)
        .order_by(None)
        .limit(cap + 1)
        .subquery()
    )
    found = int(conn.execute(select(func.count()).select_from(inner)).scalar_one())
    return min(found, cap), found <= cap


def prefix_match(column: Any, prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, as a range that B-tree indexes serve (LIKE often cannot)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def words(query: str) -> list[str]:
    """The words of a free-text query (letters and digits; everything else is a separator)."""
    return _WORD.findall(query)


def fold(text: str) -> str:
    """Case- and accent-insensitive form with the same length as ``text`` (offsets stay valid)."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)
        out.append((base[0] if base else char).casefold()[:1] or char)
    return "".join(out)


def snippet(text: str, terms: list[str], *, width: int = 220) -> str:
    """About ``width`` characters of ``text`` around the first occurrence of one of ``terms``."""
    folded = fold(text)
    hits = [folded.find(fold(t)) for t in terms if t]
    hits = [h for h in hits if h >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    piece = " ".join(text[start : start + width].split())
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return f"{prefix}{piece}{suffix}"


@cache
def _alpha3_of_alpha2() -> dict[str, str]:
    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


@cache
def _cameo_countries() -> frozenset[str]:
    return frozenset(row["code"] for row in load_tsv("store/cameo_countries.tsv") if row.get("code"))


def country_codes(value: str) -> tuple[str | None, str | None]:
    """``(ISO alpha-2, CAMEO/ISO alpha-3)`` for a country typed as either; ``(None, None)`` if unknown."""
    code = value.strip().upper()
    if len(code) == 2:
        alpha3 = _alpha3_of_alpha2().get(code)
        return (code, alpha3) if alpha3 else (None, None)
    if len(code) == 3:
        alpha2 = next((a2 for a2, a3 in _alpha3_of_alpha2().items() if a3 == code), None)
        if alpha2 or code in _cameo_countries():
            return alpha2, code
    return None, None


@cache
def cameo_roots() -> tuple[tuple[str, str], ...]:
    """``(root code, label)`` of the 20 CAMEO roots, in code order."""
    rows = load_tsv("store/cameo_eventcodes.tsv")
    return tuple(
        (row["cameo_code"], row["label"].capitalize()) for row in rows if len(row["cameo_code"]) == 2
    )


@cache
def plover_types() -> tuple[str, ...]:
    """The PLOVER event types CAMEO codes map to (sorted)."""
    return tuple(sorted({row["plover"] for row in load_tsv("events/cameo_codes.tsv") if row.get("plover")}))


def day_bounds(column: Any, date_from: dt.date | None, date_to: dt.date | None) -> list[ColumnElement[bool]]:
    """Conditions for ``date_from <= column <= date_to`` (either bound optional)."""
    conditions: list[ColumnElement[bool]] = []
    if date_from is not None:
        conditions.append(column >= date_from)
    if date_to is not None:
        conditions.append(column <= date_to)
    return conditions


def like_escape(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern (with ``escape='\\\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
