"""Dates of an annotated Doc as records, resolved against the publication date.

``resolve_dates`` turns ``doc._.veille_date_exprs`` into :class:`~veille.models.DateMention`
records. Values: ``YYYY-MM-DD`` for a day, ``YYYY-MM`` for a month, ``YYYY`` for a year, an ISO
8601 duration (``P25Y``) for durations, ``YYYY-MM-DDTHH:MM:SS`` for a moment, ``HH:MM:SS`` for a
time of day. ``range`` is half-open for calendar periods ([first day, first day of the next
period): a month, a week, a year) and ends on the written day for explicit ranges ("du 4 au 22
janvier" ends on the 22nd). Half-open ranges ("depuis 2014", "avant mardi") give their bound as
the value and the side in ``mod``. Without a reference, absolute dates still resolve and relative
ones get a null value.

``publication_candidates`` (from :mod:`veille.interpret.date_candidates`) proposes publication
dates from expressions anchored on the day of writing ("ce mardi 4 février", a dateline).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc

from veille.annotate.date_types import (
    TIME_UNITS,
    DateExpr,
    Duration,
    Node,
    Open,
    Range,
    Recurrence,
    TimeOfDay,
    When,
    Window,
)
from veille.interpret import date_calendar as cal
from veille.interpret.date_candidates import publication_candidates
from veille.interpret.date_format import format_mention, interval_mention, iso_duration, recurrence_timex
from veille.interpret.date_resolve import Context, Resolved, resolve_when
from veille.models import DateMention, DateType

__all__ = ["publication_candidates", "resolve_dates"]


def _context(reference: dt.date | None, tense: str | None) -> Context:
    if reference is None:
        return Context(None, None, tense)
    if isinstance(reference, dt.datetime):
        return Context(reference.date(), reference.replace(tzinfo=None, microsecond=0), tense)
    return Context(reference, cal.midnight(reference), tense)


def _borrow(target: When, source: When) -> When:
    """Copy to one bound what only the other one says ("du 4 au 22 janvier 2020", "Novembre 19-20")."""
    clock, other = target.time, source.time
    if clock is not None and other is not None and clock.hour is not None:
        shared = other.ampm or other.pod
        if clock.ampm is None and clock.pod is None and shared and (other.hour or 0) % 12 >= clock.hour % 12:
            # "de 5 à 6pm": the first bound shares the second one's afternoon.
            target = replace(target, time=replace(clock, ampm=other.ampm, pod=other.pod))
    if target.date is None and source.date is not None and target.time is not None:
        return replace(target, date=source.date)
    if target.date is None or source.date is None:
        return target
    t, s = target.date, source.date
    changes: dict[str, Any] = {}
    if t.day is not None and t.month is None and t.period is None:
        if s.month is not None:
            changes["month"] = s.month
        elif s.period == "month":
            changes.update(period="month", offset=s.offset)
    has_month = t.month is not None or "month" in changes
    if t.year is None and s.year is not None and has_month and t.period is None:
        changes["year"] = s.year
    if t.direction is None and s.direction is not None and t.weekday is None and has_month:
        changes["direction"] = s.direction
    return replace(target, date=replace(t, **changes)) if changes else target


_NIGHT_END = TimeOfDay(hour=6)


def _resolve_range(node: Range, ctx: Context) -> tuple[Resolved | None, Resolved | None]:
    start_node = _borrow(node.start, node.end)
    end_node = _borrow(node.end, node.start)
    if node.start.time is not None and node.start.time.pod == "NI" and node.end.time is None:
        # "la nuit de samedi à dimanche" runs into the early morning of its second day.
        end_node = replace(end_node, time=_NIGHT_END)
    first = resolve_when(start_node, ctx)
    relative_end = end_node.date is not None and (
        end_node.date.period is not None
        or end_node.date.shift is not None
        or end_node.date.direction is not None
    )
    if first is not None and end_node.date is not None and start_node.date is not None and not relative_end:
        # The second bound of a range never precedes the first: "Nov-Feb 2017", "28/12 au 3/1".
        second = resolve_when(end_node, Context(first.start.date(), first.start, "future"))
        if end_node.date.year is None and second is not None and second.start < first.start:
            second = None
        if second is None:
            second = resolve_when(end_node, ctx)
    else:
        second = resolve_when(end_node, ctx)
    if (
        first is not None
        and second is not None
        and second.start < first.start
        and start_node.date is not None
    ):
        written = node.start.date
        if written is not None and written.year is None and start_node.date.month is not None:
            earlier = replace(start_node.date, year=first.start.year - 1)
            first = resolve_when(replace(start_node, date=earlier), ctx) or first
    return first, second


def _mention(expr: DateExpr, node: Node, ctx: Context) -> DateMention:
    base: dict[str, Any] = {"text": expr.text, "start": expr.start, "end": expr.end}
    if isinstance(node, Duration):
        value = iso_duration(node.amount, node.unit)
        return DateMention(**base, type="duration", value=value, timex=value, mod=node.mod)
    if isinstance(node, Recurrence):
        return DateMention(**base, type="set", timex=recurrence_timex(node))
    if isinstance(node, When):
        return format_mention(base, node, resolve_when(node, ctx))
    if isinstance(node, Open):
        resolved = resolve_when(node.anchor, ctx)
        mention = format_mention(base, node.anchor, resolved)
        bound = None
        if resolved is not None:
            # "after 2016" starts in 2017 but "after 3 May" on 3 May; "before the end of the year"
            # runs to the year's end and "after the beginning of March" from March 1.
            part = node.anchor.date.part if node.anchor.date is not None else None
            use_end = (
                node.mod == "after" and resolved.grain not in {"day", "second"} and part != "start"
            ) or (node.mod in {"before", "until"} and part == "end")
            if node.anchor.date is not None and part in {"start", "end"} and use_end == (part == "end"):
                whole = resolve_when(replace(node.anchor, date=replace(node.anchor.date, part=None)), ctx)
                resolved = whole or resolved
            moment = resolved.end if use_end else resolved.start
            if node.anchor.date is None:
                bound = moment.time().isoformat()  # "avant 20h": a time of day
            elif resolved.grain in {"second", "pod"}:
                bound = moment.isoformat()
            else:
                bound = moment.date().isoformat()
        kind: DateType = "daterange"
        if mention.type.startswith("time"):
            kind = "timerange"
        elif mention.type.startswith("datetime"):
            kind = "datetimerange"
        return DateMention(**base, type=kind, value=bound, mod=node.mod, timex=mention.timex)
    if isinstance(node, Range):
        first, second = _resolve_range(node, ctx)
        timed = node.start.time is not None or node.end.time is not None
        has_date = node.start.date is not None or node.end.date is not None
        return interval_mention(base, first, second, timed=timed, has_date=has_date)
    assert isinstance(node, Window)
    return _window(base, node, ctx)


def _window(base: dict[str, Any], node: Window, ctx: Context) -> DateMention:
    timed = node.unit in TIME_UNITS
    if ctx.moment is None:
        return DateMention(**base, type="datetimerange" if timed else "daterange")
    if timed:
        other = cal.shift(ctx.moment, node.direction * node.amount, node.unit)
        lo, hi = sorted((ctx.moment, other))
        return DateMention(**base, type="datetimerange", range=(lo.isoformat(), hi.isoformat()))
    today = cal.midnight(ctx.moment.date())
    if node.direction < 0:
        lo, hi = cal.shift(today, -node.amount, node.unit), today
    else:
        lo = today + dt.timedelta(days=1)
        hi = cal.shift(lo, node.amount, node.unit)
    return DateMention(**base, type="daterange", range=(lo.date().isoformat(), hi.date().isoformat()))


def resolve_dates(doc: Doc, *, reference: dt.date | None, lang: str) -> tuple[DateMention, ...]:
    """Every date expression of ``doc`` as a record resolved against ``reference``.

    ``reference`` may be a :class:`datetime.datetime`: times ("dans 5 minutes") then resolve too.
    ``lang`` is accepted for symmetry with the other steps; the grammar was chosen by the pipeline.
    """
    del lang  # the expressions were parsed by the language's pipeline already
    exprs: list[DateExpr] = doc._.veille_date_exprs or []
    mentions = []
    for expr in exprs:
        try:
            mentions.append(_mention(expr, expr.node, _context(reference, expr.tense)))
        except (ValueError, OverflowError):
            mentions.append(DateMention(text=expr.text, start=expr.start, end=expr.end, type="date"))
    return tuple(mentions)
