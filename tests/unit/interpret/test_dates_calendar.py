"""Calendar arithmetic used by the date resolver."""

from __future__ import annotations

import datetime as dt

from veille.interpret import date_calendar as cal


def test_easter() -> None:
    assert [cal.easter(y) for y in (2019, 2024, 2025)] == [
        dt.date(2019, 4, 21),
        dt.date(2024, 3, 31),
        dt.date(2025, 4, 20),
    ]


def test_nth_weekday() -> None:
    assert cal.nth_weekday(2026, 11, 3, 4) == dt.date(2026, 11, 26)  # fourth Thursday
    assert cal.nth_weekday(2026, 5, 0, -1) == dt.date(2026, 5, 25)  # last Monday
    assert cal.nth_weekday(2026, 2, 0, 5) is None


def test_add_months_clamps_the_day() -> None:
    assert cal.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert cal.add_months(dt.date(2024, 3, 15), -3) == dt.date(2023, 12, 15)


def test_periods() -> None:
    start, end = cal.period_containing(dt.date(2026, 3, 11), "week")
    assert (start.date(), end.date()) == (dt.date(2026, 3, 9), dt.date(2026, 3, 16))
    start, end = cal.relative_period(dt.date(2026, 1, 15), "month", -1)
    assert (start.date(), end.date()) == (dt.date(2025, 12, 1), dt.date(2026, 1, 1))
    start, end = cal.part_of(cal.period_containing(dt.date(2026, 6, 1), "year"), "end")
    assert (start.date(), end.date()) == (dt.date(2026, 7, 1), dt.date(2027, 1, 1))


def test_pick_follows_tense_and_direction() -> None:
    ref = dt.date(2026, 3, 11)
    options = [dt.date(2026, 3, 4), dt.date(2026, 3, 11), dt.date(2026, 3, 18)]
    assert cal.pick(options, ref, "past", None) == dt.date(2026, 3, 11)
    assert cal.pick(options, ref, "past", -1) == dt.date(2026, 3, 4)
    assert cal.pick(options, ref, "future", 1) == dt.date(2026, 3, 18)
    assert cal.pick([dt.date(2026, 3, 9), dt.date(2026, 3, 16)], ref, None, None) == dt.date(2026, 3, 9)
