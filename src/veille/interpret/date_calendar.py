"""Calendar arithmetic for date resolution: periods, shifts, nth weekdays, Easter, seasons.

Periods are half-open ``[start, end)`` pairs of :class:`datetime.datetime` (a day is midnight to
the next midnight), so a month, a week and an hour are handled alike.
"""

from __future__ import annotations

import datetime as dt

Period = tuple[dt.datetime, dt.datetime]

# Meteorological seasons of the northern hemisphere (first month, length in months).
SEASONS: dict[str, tuple[int, int]] = {"SP": (3, 3), "SU": (6, 3), "FA": (9, 3), "WI": (12, 3)}
# Parts of the day (Recognizers-Text windows): start hour, end hour.
PARTS_OF_DAY: dict[str, tuple[int, int]] = {
    "MO": (8, 12),
    "MI": (11, 13),
    "AF": (12, 16),
    "EV": (16, 20),
    "NI": (20, 24),
}
_MONTHS_PER_UNIT = {"month": 1, "quarter": 3, "half": 6, "year": 12, "decade": 120, "century": 1200}
_DAYS_PER_UNIT = {"day": 1, "week": 7, "fortnight": 14, "weekend": 7}
_SECONDS_PER_UNIT = {"hour": 3600, "minute": 60, "second": 1}


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, the day clamped to the month's length (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError("year out of range")
    last = days_in_month(year, month + 1)
    return dt.date(year, month + 1, min(day.day, last))


def days_in_month(year: int, month: int) -> int:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def shift(moment: dt.datetime, amount: float, unit: str) -> dt.datetime:
    """``moment`` moved by ``amount`` units (fractions of months and years are rounded to days)."""
    if unit in _SECONDS_PER_UNIT:
        return moment + dt.timedelta(seconds=amount * _SECONDS_PER_UNIT[unit])
    if unit in _DAYS_PER_UNIT:
        return moment + dt.timedelta(days=round(amount * _DAYS_PER_UNIT[unit]))
    months = amount * _MONTHS_PER_UNIT[unit]
    whole = int(months)
    moved = add_months(moment.date(), whole)
    extra = round((months - whole) * 30.44)
    return midnight(moved) + dt.timedelta(days=extra) + (moment - midnight(moment.date()))


def period_containing(day: dt.date, unit: str) -> Period:
    """The calendar period of ``unit`` that contains ``day`` (ISO weeks start on Monday)."""
    if unit == "day":
        start = midnight(day)
        return start, start + dt.timedelta(days=1)
    if unit in {"week", "fortnight"}:
        start = midnight(day - dt.timedelta(days=day.weekday()))
        return start, start + dt.timedelta(days=7 if unit == "week" else 14)
    if unit == "weekend":
        saturday = midnight(day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=5))
        return saturday, saturday + dt.timedelta(days=2)
    months = _MONTHS_PER_UNIT[unit]
    first = (day.year * 12 + day.month - 1) // months * months
    start = dt.datetime(first // 12, first % 12 + 1, 1)
    return start, midnight(add_months(start.date(), months))


def relative_period(day: dt.date, unit: str, offset: int) -> Period:
    """The period of ``unit`` that is ``offset`` periods from the one containing ``day``."""
    start, _ = period_containing(day, unit)
    if unit in _DAYS_PER_UNIT:
        moved = start.date() + dt.timedelta(days=offset * _DAYS_PER_UNIT[unit])
    else:
        moved = add_months(start.date(), offset * _MONTHS_PER_UNIT[unit])
    return period_containing(moved, unit)


def part_of(period: Period, part: str | None) -> Period:
    """Start/middle/end of a period: the first half, the middle third, the second half."""
    start, end = period
    if part is None:
        return period
    length = end - start
    if length <= dt.timedelta(days=1):
        return period
    if length.days in (7, 14):  # weeks split Monday-Wednesday / Thursday-Sunday
        cut = start + dt.timedelta(days=3 * length.days // 7)
    elif 28 <= length.days <= 31:
        cut = start + dt.timedelta(days=15)
    else:
        cut = midnight(add_months(start.date(), round((length.days / 30.44) / 2)))
    if part in {"start", "earlier"}:
        return start, cut
    if part in {"to_date", "later"}:
        return period
    if part in {"end", "later"}:
        return cut, end
    third = length / 3
    return start + third, end - third


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    """The n-th ``weekday`` of a month (nth=-1: the last one)."""
    if nth < 0:
        last = dt.date(year, month, days_in_month(year, month))
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def nth_week(year: int, month: int, nth: int, unit: str) -> Period | None:
    """The n-th ISO week (or weekend) starting in a month; nth=-1 is the last one."""
    weekday = 5 if unit == "weekend" else 0
    day = nth_weekday(year, month, weekday, nth)
    if day is None:
        return None
    length = 2 if unit == "weekend" else 7
    return midnight(day), midnight(day) + dt.timedelta(days=length)


def easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def season(year: int, name: str) -> Period:
    first_month, months = SEASONS[name]
    start = dt.date(year, first_month, 1)
    return midnight(start), midnight(add_months(start, months))


def iso_week(year: int, week: int) -> Period | None:
    try:
        start = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return midnight(start), midnight(start) + dt.timedelta(days=7)


def pick(candidates: list[dt.date], reference: dt.date, tense: str | None, direction: int | None) -> dt.date:
    """News conventions to choose among the readings of an incomplete date.

    direction -1/+1 (dernier/prochain): strictly before/after the reference; past tense: the
    latest not after the reference; future tense: the earliest not before it; otherwise the
    nearest (the past one on a tie).
    """
    ordered = sorted(candidates)
    if direction == -1 or (direction is None and tense == "past"):
        strict = direction == -1
        before = [c for c in ordered if c < reference or (not strict and c == reference)]
        if before:
            return before[-1]
    if direction == 1 or (direction is None and tense == "future"):
        strict = direction == 1
        after = [c for c in ordered if c > reference or (not strict and c == reference)]
        if after:
            return after[0]
    return min(ordered, key=lambda c: (abs((c - reference).days), c > reference))
