"""Resolve a parsed date (:class:`DatePoint`, :class:`TimeOfDay`) against a reference moment.

The result is a half-open period with its grain ("day", "month", "second"...), from which
:mod:`veille.interpret.dates` writes the value. Incomplete dates are completed with the news
conventions of :func:`veille.interpret.date_calendar.pick`: the clause tense decides between the
last and the next occurrence; "ce/this" is the reference's own week, month or year;
"dernier/prochain" the previous or next one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from veille.annotate.date_types import TIME_UNITS, DatePoint, TimeOfDay, When
from veille.interpret import date_calendar as cal
from veille.interpret.date_calendar import Period, midnight


@dataclass(frozen=True, slots=True)
class Resolved:
    start: dt.datetime
    end: dt.datetime  # exclusive
    grain: (
        str  # second minute hour day week weekend fortnight month quarter half year decade century season pod
    )


@dataclass(frozen=True, slots=True)
class Context:
    reference: dt.date | None
    moment: dt.datetime | None  # the reference with its time when known (else midnight)
    tense: str | None


def _years_around(ctx: Context) -> list[int]:
    assert ctx.reference is not None
    return [ctx.reference.year + k for k in (-1, 0, 1)]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day(day: dt.date) -> Resolved:
    return Resolved(midnight(day), midnight(day) + dt.timedelta(days=1), "day")


def _choose(dates: list[dt.date | None], ctx: Context, direction: int | None) -> dt.date | None:
    found = [d for d in dates if d is not None]
    if not found or ctx.reference is None:
        return None
    return cal.pick(found, ctx.reference, ctx.tense, direction)


def _month_day(p: DatePoint, ctx: Context) -> dt.date | None:
    assert p.month is not None and p.day is not None
    if p.year is not None:
        return _safe_date(p.year, p.month, p.day)
    if ctx.reference is None:
        return None
    if p.direction == 0:
        return _safe_date(ctx.reference.year, p.month, p.day)
    years = (
        [ctx.reference.year + k for k in range(-4, 5)] if (p.month, p.day) == (2, 29) else _years_around(ctx)
    )
    options = [_safe_date(y, p.month, p.day) for y in years]
    if p.weekday is not None:
        # "mardi 22 janvier": a year where the weekday matches, when one is near.
        matching = [d for d in options if d is not None and d.weekday() == p.weekday]
        if matching:
            options = list(matching)
    return _choose(options, ctx, p.direction)


def _holiday(p: DatePoint, year: int) -> dt.date | None:
    if p.easter is not None:
        return cal.easter(year) + dt.timedelta(days=p.easter)
    if p.nth is not None and p.weekday is not None and p.month is not None:
        return cal.nth_weekday(year, p.month, p.weekday, p.nth)
    return None


def _yearly(p: DatePoint, ctx: Context) -> dt.date | None:
    """Dates that repeat every year by rule (Easter, Thanksgiving, "premier vendredi de juillet")."""
    if p.year is not None:
        return _holiday(p, p.year)
    if ctx.reference is None:
        return None
    if p.direction == 0:
        return _holiday(p, ctx.reference.year)
    return _choose([_holiday(p, y) for y in _years_around(ctx)], ctx, p.direction)


def _weekday(p: DatePoint, ctx: Context) -> dt.date | None:
    assert p.weekday is not None and ctx.reference is not None
    ref = ctx.reference
    monday = ref - dt.timedelta(days=ref.weekday())
    if p.later_weeks:
        coming = ref + dt.timedelta(days=(p.weekday - ref.weekday()) % 7)
        return coming + dt.timedelta(days=7 * p.later_weeks)
    if p.direction is not None:
        # "ce lundi" is this week's Monday; "lundi prochain/dernier" the next/previous week's.
        return monday + dt.timedelta(days=7 * p.direction + p.weekday)
    options = [monday + dt.timedelta(days=7 * k + p.weekday) for k in (-1, 0, 1)]
    return cal.pick(options, ref, ctx.tense, None)


def _day_of_month(p: DatePoint, ctx: Context) -> dt.date | None:
    """ "le 23" (and "vendredi 23"): the month is the nearest one that fits."""
    assert p.day is not None and ctx.reference is not None
    ref = ctx.reference
    options = []
    for k in range(-12, 13) if p.weekday is not None else range(-1, 2):
        month = cal.add_months(ref.replace(day=1), k)
        day = _safe_date(month.year, month.month, p.day)
        if day is not None and (p.weekday is None or day.weekday() == p.weekday):
            options.append(day)
    return cal.pick(options, ref, ctx.tense, p.direction) if options else None


def _month(p: DatePoint, ctx: Context) -> Period | None:
    assert p.month is not None
    if p.year is not None:
        year = p.year
    elif ctx.reference is None:
        return None
    elif p.direction == 0:
        year = ctx.reference.year
    else:
        firsts = [dt.date(y, p.month, 1) for y in _years_around(ctx)]
        this_month = ctx.reference.replace(day=1)
        chosen = cal.pick(firsts, this_month, ctx.tense, p.direction)
        year = chosen.year
    start = dt.date(year, p.month, 1)
    return midnight(start), midnight(cal.add_months(start, 1))


def _year_of(p: DatePoint, ctx: Context) -> int | None:
    if p.year is not None:
        return p.year
    if ctx.reference is None:
        return None
    return ctx.reference.year + (p.direction or 0)


def _relative(p: DatePoint, ctx: Context) -> Resolved | None:
    """Expressions measured from the reference: shifts ("il y a 3 jours"), periods ("la semaine dernière")."""
    if ctx.reference is None or ctx.moment is None:
        return None
    if p.shift is not None and p.shift_unit is not None:
        if p.shift_unit in TIME_UNITS:
            moment = cal.shift(ctx.moment, p.shift, p.shift_unit)
            return Resolved(moment, moment + dt.timedelta(seconds=1), "second")
        return _day(cal.shift(midnight(ctx.reference), p.shift, p.shift_unit).date())
    assert p.period is not None
    offset = p.offset
    if p.period == "weekend" and p.direction is None and ctx.tense == "past" and ctx.reference.weekday() < 5:
        offset = -1  # "a plu le week-end" on a Tuesday: the weekend just gone
    period = cal.relative_period(ctx.reference, p.period, offset)
    if p.weekday is not None and p.nth is not None and p.period == "month":
        day = cal.nth_weekday(period[0].year, period[0].month, p.weekday, p.nth)
        return _day(day) if day else None
    if p.day is not None and p.period == "month":
        day = _safe_date(period[0].year, period[0].month, p.day)
        return _day(day) if day else None
    if p.nth is not None and p.nth_unit in {"week", "weekend"} and p.period == "month":
        week = cal.nth_week(period[0].year, period[0].month, p.nth, p.nth_unit)
        return Resolved(week[0], week[1], p.nth_unit) if week else None
    now = midnight(ctx.reference)
    if p.part == "to_date":
        return Resolved(period[0], now, p.period)
    if p.part in {"later", "earlier"}:
        # "later this week": from the second half of the week, or from today when it is later.
        cut = cal.part_of(period, "start")[1]
        if p.part == "later":
            return Resolved(max(cut, now), period[1], p.period)
        return Resolved(period[0], max(period[0], min(cut, now)), p.period)
    if p.part is not None:
        period = cal.part_of(period, p.part)
    return Resolved(period[0], period[1], p.period)


def resolve_point(p: DatePoint, ctx: Context) -> Resolved | None:
    """The period a date denotes, or None when it needs a reference that is missing or is invalid."""
    try:
        resolved = _resolve_point(p, ctx)
    except (ValueError, OverflowError):
        return None
    if resolved is not None and p.part is not None and p.period is None and resolved.grain != "day":
        start, end = cal.part_of((resolved.start, resolved.end), p.part)
        return Resolved(start, end, resolved.grain)
    return resolved


def _resolve_point(p: DatePoint, ctx: Context) -> Resolved | None:
    if p.shift is not None or p.period is not None:
        return _relative(p, ctx)
    if p.easter is not None or (p.nth is not None and p.weekday is not None and p.month is not None):
        day = _yearly(p, ctx)
        return _day(day) if day else None
    if p.nth == -1 and p.nth_unit == "day" and p.month is not None:
        month = _month(p, ctx)
        return _day(month[1].date() - dt.timedelta(days=1)) if month else None
    if p.nth is not None and p.nth_unit in {"week", "weekend"} and p.month is not None:
        period_month = _month(replace(p, day=None), ctx)
        if period_month is None:
            return None
        week = cal.nth_week(period_month[0].year, period_month[0].month, p.nth, p.nth_unit)
        return Resolved(week[0], week[1], p.nth_unit) if week else None
    if p.month is not None and p.day is not None:
        day = _month_day(p, ctx)
        if day is None:
            return None
        if p.nth_unit == "week":  # "la semaine du 6 octobre"
            start, end = cal.period_containing(day, "week")
            return Resolved(start, end, "week")
        return _day(day)
    if p.day is not None:
        if ctx.reference is None:
            return None
        day = _day_of_month(p, ctx)
        return _day(day) if day else None
    if p.month is not None:
        month = _month(p, ctx)
        return Resolved(month[0], month[1], "month") if month else None
    if p.weekday is not None:
        if ctx.reference is None:
            return None
        day = _weekday(p, ctx)
        return _day(day) if day else None
    if p.decade is not None:
        return Resolved(dt.datetime(p.decade, 1, 1), dt.datetime(p.decade + 10, 1, 1), "decade")
    year = _year_of(p, ctx)
    if year is None:
        return None
    if p.week is not None:
        week = cal.iso_week(year, p.week)
        return Resolved(week[0], week[1], "week") if week else None
    if p.nth is not None and p.nth_unit == "week":
        # "first week of 2015": ISO week 1; "last week of 2016": the year's last ISO week.
        number = p.nth if p.nth > 0 else dt.date(year, 12, 28).isocalendar()[1]
        week = cal.iso_week(year, number)
        return Resolved(week[0], week[1], "week") if week else None
    if p.quarter is not None or p.half is not None:
        months = 3 if p.quarter is not None else 6
        index = (p.quarter or p.half or 1) - 1
        first_day = dt.date(year, 1 + months * index, 1)
        end = midnight(cal.add_months(first_day, months))
        return Resolved(midnight(first_day), end, "quarter" if months == 3 else "half")
    if p.season is not None:
        first_month = cal.SEASONS[p.season][0]
        if p.year is None and ctx.reference is not None and ctx.reference.month + 12 < first_month + 3:
            # Winter straddles the new year: in February, "cet hiver" began last December.
            year -= 1
        start, end = cal.season(year, p.season)
        return Resolved(start, end, "season")
    if p.year is not None or p.direction is not None:
        return Resolved(dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1), "year")
    return None


def clock_hour(t: TimeOfDay) -> int | None:
    """The 24-hour clock hour, using am/pm and the part of the day ("8 du soir" = 20)."""
    if t.hour is None:
        return None
    hour = t.hour % 24 if t.hour != 24 else 0
    if t.ampm == "pm" and hour < 12:
        return hour + 12
    if t.ampm == "am" and hour == 12:
        return 0
    if t.ampm is None and t.pod in {"AF", "EV"} and hour < 12:
        return hour + 12
    if t.ampm is None and t.pod == "NI" and 6 <= hour < 12:
        return hour + 12
    return hour


def pod_window(day: dt.date, t: TimeOfDay) -> Resolved:
    """A part of the day as a period ("le soir" 16:00-20:00; "tôt le matin" is its first half)."""
    assert t.pod is not None
    first, last = cal.PARTS_OF_DAY[t.pod]
    start = midnight(day) + dt.timedelta(hours=first)
    end = midnight(day) + dt.timedelta(hours=last)
    if t.part in {"start", "earlier"}:
        end = start + (end - start) / 2
    elif t.part in {"end", "later"}:
        start = end - (end - start) / 2
    # The night ends at the last second of the day, as in the TIMEX conventions.
    end = min(end, midnight(day) + dt.timedelta(hours=23, minutes=59, seconds=59))
    return Resolved(start, end, "pod")


def resolve_when(w: When, ctx: Context) -> Resolved | None:
    """A When with a time: the day (reference day when no date is written) at that time."""
    day: dt.date | None = None
    if w.date is not None:
        resolved = resolve_point(w.date, ctx)
        if resolved is None:
            return None
        if w.time is None or resolved.grain not in {"day", "second"}:
            return resolved
        day = resolved.start.date()
    elif ctx.reference is not None:
        day = ctx.reference
    if w.time is None or day is None:
        return None
    hour = clock_hour(w.time)
    if hour is None:
        return pod_window(day, w.time) if w.time.pod else None
    moment = midnight(day) + dt.timedelta(hours=hour, minutes=w.time.minute, seconds=w.time.second)
    return Resolved(moment, moment + dt.timedelta(seconds=1), "second")
