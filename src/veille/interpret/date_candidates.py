"""Publication-date candidates read from the text, each with the words that suggest it.

Three kinds of expressions are dated on the day of writing:

- deictic dates: "ce mardi 4 février", "aujourd'hui mardi 4 février", "this Tuesday, February 4".
  Without a year, a weekday with a day and month fits several years (a Tuesday 4 February falls
  in 2014, 2020 and 2025): every such year from 1990 to next year is proposed;
- a dateline: a full date opening a paragraph, after the place name ("NAIROBI, Thursday 9 November
  2023 —", "Vienne, le 20 novembre 2024") or alone on its line ("Le 1er décembre 2024");
- a publication notice: "Publié le 4 février 2020", "Published on March 3, 2021";
- an update notice ("Mis à jour le 3 novembre 2024 à 18h40"), only when the text offers none of
  the above: the relative dates of a page were written on its last update at the latest.

This module never chooses among the years: the constraints of :mod:`veille.interpret.published`
do (the actor knowledge base knows who held which office when). It only drops the years of a
deictic date that a full date of the same article contradicts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from veille.annotate.date_grammar import Grammar, fold, load_grammar
from veille.annotate.date_types import DateExpr, DatePoint, When
from veille.annotate.doc_cache import doc_text
from veille.interpret.published import DateCandidate
from veille.models import PublishedEvidence

FIRST_CANDIDATE_YEAR = 1990
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_DATELINE_AFTER = re.compile(r"[ \t]*(?:[—–-]|:|\||\(|\n|$)")


@dataclass(frozen=True, slots=True)
class _Anchor:
    expr: DateExpr
    weekday: int | None
    day: int
    month: int
    year: int | None
    kind: str  # deictic | dateline | notice | update


def _full_date(point: DatePoint) -> bool:
    return point.period is None and point.shift is None and None not in (point.day, point.month, point.year)


def _anchor(doc: Doc, expr: DateExpr, grammar: Grammar) -> _Anchor | None:
    node = expr.node
    if not isinstance(node, When) or node.date is None:
        return None
    p = node.date
    if p.day is None or p.month is None or p.period is not None or p.shift is not None:
        return None
    if p.direction == 0 and (p.weekday is not None or p.year is not None):
        return _Anchor(expr, p.weekday, p.day, p.month, p.year, "deictic")
    if not _full_date(p):
        return None  # "ce 4 février" or "le 4 février" alone fits every year
    text = doc_text(doc)
    before = fold(text[max(0, expr.start - 60) : expr.start])
    kind = None
    if grammar.publication_cue_before.search(before):
        kind = "notice"
    elif grammar.update_cue_before.search(before):
        kind = "update"
    elif grammar.dateline_before.search(before) and _DATELINE_AFTER.match(text, expr.end):
        kind = "dateline"
    return None if kind is None else _Anchor(expr, p.weekday, p.day, p.month, p.year, kind)


def _dates(anchor: _Anchor, last_year: int) -> list[dt.date]:
    years = [anchor.year] if anchor.year is not None else list(range(FIRST_CANDIDATE_YEAR, last_year + 1))
    out = []
    for year in years:
        try:
            day = dt.date(year, anchor.month, anchor.day)
        except ValueError:
            continue
        if anchor.year is not None or anchor.weekday is None or day.weekday() == anchor.weekday:
            out.append(day)
    return out


def _why(anchor: _Anchor, dates: list[dt.date], last_year: int) -> str:
    label = f"{_WEEKDAYS[anchor.weekday]} " if anchor.weekday is not None else ""
    label += f"{anchor.day} {_MONTHS[anchor.month - 1]}"
    if anchor.kind == "dateline":
        return f"dateline: {label} {anchor.year}"
    if anchor.kind == "notice":
        return f"publication notice: {label} {anchor.year}"
    if anchor.kind == "update":
        return f"update notice: {label} {anchor.year}"
    if anchor.year is not None:
        return f"dated on the day of writing: {label} {anchor.year}"
    found = ", ".join(str(d.year) for d in dates)
    return f"{label} falls in {found} (years {FIRST_CANDIDATE_YEAR}-{last_year})"


def publication_candidates(doc: Doc, *, today: dt.date | None = None) -> list[DateCandidate]:
    """Publication dates suggested by the text, one per consistent date, with their evidence."""
    last_year = (today or dt.date.today()).year + 1
    grammar = load_grammar(doc.lang_ or "en")
    found: list[tuple[_Anchor, list[dt.date]]] = []
    for expr in doc._.veille_date_exprs or []:
        anchor = _anchor(doc, expr, grammar)
        if anchor is not None:
            dates = _dates(anchor, last_year)
            if dates:
                found.append((anchor, dates))
    if any(anchor.kind != "update" for anchor, _ in found):
        found = [(anchor, dates) for anchor, dates in found if anchor.kind != "update"]
    exact = {dates[0] for anchor, dates in found if anchor.year is not None}
    out: list[DateCandidate] = []
    for anchor, dates in found:
        if anchor.year is None and exact & set(dates):
            dates = sorted(exact & set(dates))  # a full date of the article settles the year
        evidence = PublishedEvidence(
            start=anchor.expr.start,
            end=anchor.expr.end,
            text=anchor.expr.text,
            why=_why(anchor, dates, last_year),
        )
        out.extend(DateCandidate(date=d, evidence=evidence) for d in dates)
    return out
