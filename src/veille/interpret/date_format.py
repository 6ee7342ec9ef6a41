"""Write resolved periods as :class:`~veille.models.DateMention` values (the contract's formats)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from veille.annotate.date_types import Recurrence, TimeOfDay, When
from veille.interpret.date_resolve import Resolved, clock_hour
from veille.models import DateMention, DateType

# unit -> (factor, ISO 8601 designator, after the "T")
_DURATION_UNITS: dict[str, tuple[float, str, bool]] = {
    "century": (100, "Y", False), "decade": (10, "Y", False), "year": (1, "Y", False),
    "half": (6, "M", False), "quarter": (3, "M", False), "month": (1, "M", False),
    "fortnight": (2, "W", False), "week": (1, "W", False), "weekend": (2, "D", False),
    "day": (1, "D", False), "hour": (1, "H", True), "minute": (1, "M", True), "second": (1, "S", True),
}  # fmt: skip


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def iso_duration(amount: float, unit: str) -> str:
    """ISO 8601 duration: 25 years → P25Y, 1.5 hours → PT1.5H."""
    factor, letter, timed = _DURATION_UNITS[unit]
    return ("PT" if timed else "P") + _number(amount * factor) + letter


def _clock(hour: int, minute: int, second: int) -> str:
    if minute == 0 and second == 0:
        return f"T{hour:02d}"
    if second == 0:
        return f"T{hour:02d}:{minute:02d}"
    return f"T{hour:02d}:{minute:02d}:{second:02d}"


def time_timex(t: TimeOfDay) -> str | None:
    hour = clock_hour(t)
    if hour is not None:
        return _clock(hour, t.minute, t.second)
    return f"T{t.pod}" if t.pod else None


def recurrence_timex(node: Recurrence) -> str | None:
    """TIMEX3-style value of a set: "XXXX-WXX-1T16" (every Monday at 16:00), "P2D" (every two days)."""
    time = time_timex(node.time) if node.time is not None else None
    if node.weekday is not None:
        return f"XXXX-WXX-{node.weekday + 1}" + (time or "")
    if node.unit is not None and node.unit in _DURATION_UNITS and not (time and node.unit == "day"):
        return iso_duration(node.amount or 1, node.unit)
    return time


def _timex(resolved: Resolved) -> str | None:
    start = resolved.start
    if resolved.grain == "day":
        return start.date().isoformat()
    if resolved.grain == "month":
        return start.strftime("%Y-%m")
    if resolved.grain == "year":
        return f"{start.year:04d}"
    if resolved.grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if resolved.grain in {"quarter", "half"}:
        size = 3 if resolved.grain == "quarter" else 6
        return f"{start.year:04d}-{'Q' if size == 3 else 'H'}{(start.month - 1) // size + 1}"
    if resolved.grain == "decade":
        return f"{start.year // 10:03d}"
    if resolved.grain == "second":
        return start.isoformat()
    return None


def _unresolved_type(node: When) -> DateType:
    if node.date is None:
        return "time" if node.time is not None and node.time.hour is not None else "timerange"
    if node.time is not None:
        return "datetime" if node.time.hour is not None else "datetimerange"
    p = node.date
    if p.shift is not None and p.shift_unit in {"hour", "minute", "second"}:
        return "datetime"
    daily = p.day is not None or p.weekday is not None or p.shift is not None or p.easter is not None
    return "date" if daily or p.period == "day" else "daterange"


def format_mention(base: dict[str, Any], node: When, resolved: Resolved | None) -> DateMention:
    if resolved is None:
        return DateMention(**base, type=_unresolved_type(node))
    start, end = resolved.start, resolved.end
    if resolved.grain == "second":
        if node.date is None and node.time is not None:
            value = start.time().isoformat()
            return DateMention(**base, type="time", value=value, timex=time_timex(node.time))
        return DateMention(**base, type="datetime", value=start.isoformat(), timex=start.isoformat())
    if resolved.grain == "pod":
        if node.date is None:
            span = (start.time().isoformat(), end.time().isoformat())
            return DateMention(
                **base, type="timerange", range=span, timex=time_timex(node.time) if node.time else None
            )
        return DateMention(**base, type="datetimerange", range=(start.isoformat(), end.isoformat()))
    timex: str | None = _timex(resolved)
    if resolved.grain == "day":
        return DateMention(**base, type="date", value=timex, timex=timex)
    period_value = timex if resolved.grain in {"month", "year"} else None
    days = (start.date().isoformat(), end.date().isoformat())
    return DateMention(**base, type="daterange", value=period_value, range=days, timex=timex)


def _point(resolved: Resolved, timed: bool, has_date: bool) -> str:
    if timed and not has_date:
        return resolved.start.time().isoformat()
    if timed:
        return resolved.start.isoformat()
    return resolved.start.date().isoformat()


def interval_mention(
    base: dict[str, Any], first: Resolved | None, second: Resolved | None, *, timed: bool, has_date: bool
) -> DateMention:
    """An explicit range: from the start of the first bound to the start of the second."""
    kind: DateType = ("datetimerange" if has_date else "timerange") if timed else "daterange"
    if first is None or second is None:
        return DateMention(**base, type=kind)
    span = (_point(first, timed, has_date), _point(second, timed, has_date))
    return DateMention(**base, type=kind, range=span)


def as_date(value: str | None) -> dt.date | None:
    """The day of a value ("2020-02-04", "2020-02-04T10:00:00"), None for months, years, times."""
    if value is None or len(value) < 10 or value[4] != "-":
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
