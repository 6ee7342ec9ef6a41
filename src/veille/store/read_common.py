"""Shared pieces of the read-side queries used by the API and the web UI (``read_*`` modules).

Everything here builds SQLAlchemy Core expressions with bound parameters: user input never becomes
SQL text. Counts are capped so that a broad filter on a large store costs a bounded scan.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
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


def capped_count_of(table: Any, conditions: Iterable[ColumnElement[bool]], *, cap: int) -> AnySelect:
    """The statement of :func:`capped_count` for the rows of ``table`` meeting ``conditions`` (for
    statements prepared once, with bound values): at most ``cap + 1`` rows counted."""
    inner = select(literal(1)).select_from(table).where(*conditions).limit(cap + 1)
    return select(func.count()).select_from(inner.subquery())


def known_total(found: int, *, limit: int, offset: int, cap: int = COUNT_CAP) -> tuple[int, bool] | None:
    """``(total, exact)`` without counting, when a page of ``found`` ids shows it: a page that is not
    full and not past the end ends the matches. None when a count is needed (full page, or past
    the end). Gives what :func:`capped_count` would (within the cap only)."""
    if found < limit and (found or not offset) and offset + found <= cap:
        return offset + found, True
    return None


def prefix_match(column: Any, prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``, as a range that B-tree indexes serve (LIKE often cannot)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def words(query: str) -> list[str]:
    """The words of a free-text query (letters and digits; everything else is a separator)."""
    return _WORD.findall(query)


class _FoldTable(dict[int, str]):
    """Code point → its folded character, computed on first use (``str.translate`` table)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)
        folded = (base[0] if base else char).casefold()[:1] or char
        self[code] = folded
        return folded


_FOLD = _FoldTable()
_SNIPPET_CHUNK = 2_000  # characters folded at a time while looking for the first hit


def fold(text: str) -> str:
    """Case- and accent-insensitive form with the same length as ``text`` (offsets stay valid)."""
    # One character in, one out: a memoised per-character table (str.translate) gives the same
    # result as normalising each character, ~30x faster on long texts.
    return text.translate(_FOLD)


def _first_hit(text: str, terms: list[str]) -> int:
    """Offset of the first occurrence of one of ``terms`` in ``fold(text)``, or -1.

    Folds the text a chunk at a time and stops at the first chunk holding a match (a search
    results page needs the start of each text only); chunks overlap by the longest term.
    """
    needles = [fold(t) for t in terms if t]
    if not needles:
        return -1
    overlap = max(len(n) for n in needles) - 1
    for start in range(0, len(text), _SNIPPET_CHUNK):
        window = fold(text[start : start + _SNIPPET_CHUNK + overlap])
        hits = [h for h in (window.find(n) for n in needles) if 0 <= h < _SNIPPET_CHUNK]
        if hits:
            return start + min(hits)
    return -1


def snippet(text: str, terms: list[str], *, width: int = 220) -> str:
    """About ``width`` characters of ``text`` around the first occurrence of one of ``terms``."""
    hit = _first_hit(text, terms)
    start = max(0, hit - width // 3) if hit >= 0 else 0
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
    rows = load_tsv("events/cameo_codes.tsv")
    return tuple((row["code"], row["label"].capitalize()) for row in rows if len(row["code"]) == 2)


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
