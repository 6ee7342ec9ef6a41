"""Read a grammar match (its named groups) into a typed node: what the words mean, not which day.

The group vocabulary is listed in :mod:`veille.annotate.date_grammar`; values come from the
language's lexicon tables, so this module holds no words of any language.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from veille.annotate.date_grammar import Grammar, Pattern, normalize_key
from veille.annotate.date_types import (
    DatePoint,
    Duration,
    Node,
    Range,
    Recurrence,
    TimeOfDay,
    Unit,
    When,
    Window,
)

_DIGITS = re.compile(r"\d+(?:[.,]\d+)?")
_LEADING_INT = re.compile(r"\d+")
_YEAR_PIVOT = 40  # two-digit years: 00-39 → 2000s, 40-99 → 1900s


def parse_amount(grammar: Grammar, text: str | None) -> float | None:
    """Digits ("3", "3,5"), number words ("vingt-trois", "twenty four"), vague words ("quelques")."""
    if text is None:
        return None
    text = text.strip()
    digits = _DIGITS.fullmatch(text)
    if digits:
        return float(text.replace(",", "."))
    key = normalize_key(text)
    for table in ("vague", "article_number"):
        value = grammar.lookups[table].get(key)
        if value is not None:
            return float(value)
    words = [w for w in key.split(" ") if w not in {"et", "and"}]
    return _number_words(grammar, words)


def _number_words(grammar: Grammar, words: list[str]) -> float | None:
    numbers = grammar.lookups["number"]
    ordinals = grammar.lookups["ordinal"]
    total = current = 0
    i = 0
    while i < len(words):
        pair = f"{words[i]} {words[i + 1]}" if i + 1 < len(words) else ""
        if pair in numbers:
            value, i = numbers[pair], i + 2
        elif words[i] in numbers:
            value, i = numbers[words[i]], i + 1
        elif words[i] in ordinals and i == len(words) - 1:
            value, i = ordinals[words[i]], i + 1
        else:
            return None
        if value == 100:
            current = (current or 1) * 100
        elif value == 1000:
            total += (current or 1) * 1000
            current = 0
        else:
            current += value
    return float(total + current)


def parse_day(grammar: Grammar, text: str | None) -> int | None:
    if text is None:
        return None
    digits = _LEADING_INT.match(text.strip())
    if digits:
        value = int(digits.group())
    else:
        key = normalize_key(text)
        ordinal = grammar.lookups["ordinal"].get(key)
        amount = float(ordinal) if ordinal is not None else parse_amount(grammar, text)
        if amount is None:
            return None
        value = int(amount)
    return value if 1 <= value <= 31 else None


def parse_year(text: str | None) -> int | None:
    if text is None:
        return None
    digits = text.strip().lstrip("'")
    if not digits.isdigit():
        return None
    value = int(digits)
    if len(digits) == 2:
        value += 2000 if value < _YEAR_PIVOT else 1900
    return value


def _year_words(grammar: Grammar, text: str) -> int | None:
    """Spelled years: "nineteen ninety six" is 19·100 + 96; "two thousand and fifteen" is a sum."""
    words = [w for w in normalize_key(text).split(" ") if w != "and"]
    if not words:
        return None
    numbers = grammar.lookups["number"]
    head = numbers.get(words[0])
    if head is not None and 10 <= head < 100 and len(words) > 1 and words[1] not in {"thousand", "hundred"}:
        tail = _number_words(grammar, words[1:])
        return int(head * 100 + tail) if tail is not None and tail < 100 else None
    value = _number_words(grammar, words)
    return int(value) if value is not None and 1000 <= value <= 2200 else None


def _month(grammar: Grammar, text: str | None) -> int | None:
    if text is None:
        return None
    if text.strip().isdigit():
        value = int(text)
        return value if 1 <= value <= 12 else None
    value = grammar.lookup("month", text) or grammar.lookup("month_abbr", text.rstrip("."))
    return int(value) if value else None


def _direction(grammar: Grammar, groups: dict[str, str]) -> int | None:
    for name in ("dir", "dir2"):
        text = groups.get(name)
        if text is None:
            continue
        for table in ("direction_before", "direction_after", "today"):
            value = grammar.lookup(table, text)
            if value is not None:
                return int(value)
    if "today" in groups:
        return 0
    return None


def _minute(grammar: Grammar, text: str | None) -> int:
    if text is None:
        return 0
    fraction = grammar.lookup("fraction", text)
    if fraction is not None:
        return round(float(fraction) * 60)
    amount = parse_amount(grammar, text)
    return int(amount) if amount is not None and 0 <= amount < 60 else 0


def read_time(grammar: Grammar, groups: dict[str, str]) -> TimeOfDay | None:
    pod_text = next((groups[k] for k in ("pod", "pod2", "pod3", "pod4") if k in groups), None)
    pod = grammar.lookup("part_of_day", pod_text)
    part = grammar.lookup("part", groups.get("part")) or grammar.lookup("part", groups.get("part2"))
    hour: int | None = None
    if "noon" in groups:
        hour = int(grammar.lookup("clock_word", groups["noon"]))
    elif "hour" in groups or "hour2" in groups:
        amount = parse_amount(grammar, groups.get("hour") or groups.get("hour2"))
        if amount is None or not 0 <= amount <= 24:
            return None
        hour = int(amount)
    if "eod" in groups or "eod2" in groups:
        return TimeOfDay(hour=23, minute=59, second=59)
    if hour is None and pod is None:
        return None
    minute = _minute(grammar, groups.get("minute") or groups.get("minute2"))
    if hour is not None and ("minus" in groups or normalize_key(groups.get("past", "")) in {"to", "before"}):
        hour, minute = (hour - 1) % 24, (60 - minute) % 60
    ampm_text = normalize_key(groups.get("ampm") or groups.get("ampm2") or "")
    ampm: Literal["am", "pm"] | None = (
        "pm" if ampm_text.startswith("p") else "am" if ampm_text.startswith("a") else None
    )
    second = int(groups["second"]) if "second" in groups else 0
    return TimeOfDay(hour=hour, minute=minute, second=second, ampm=ampm, pod=pod, part=part)


def read_date(grammar: Grammar, groups: dict[str, str], fixed: dict[str, Any]) -> DatePoint | None:
    fields: dict[str, Any] = {}
    if "eod2" in groups:
        groups = {**groups, "eod": groups["eod2"]}
    pod_text = next((groups[k] for k in ("pod", "pod2", "pod3", "pod4") if k in groups), None)
    if "n1" in groups and "n2" in groups:
        first, second = int(groups["n1"]), int(groups["n2"])
        day, month = (first, second) if grammar.numeric_order == "dmy" else (second, first)
        if month > 12 >= day:
            day, month = month, day
        if month > 12:
            return None
        fields.update(day=day, month=month)
    for name in ("year", "year2"):
        if name in groups:
            fields["year"] = parse_year(groups[name])
    if "year_words" in groups:
        fields["year"] = _year_words(grammar, groups["year_words"])
        if fields["year"] is None:
            return None
    if "month" in groups:
        fields["month"] = _month(grammar, groups["month"])
        if fields["month"] is None:
            return None
    if "day" in groups:
        fields["day"] = parse_day(grammar, groups["day"])
        if fields["day"] is None:
            if grammar.lookup("last_ordinal", groups["day"]) != -1:
                return None
            # "le dernier jour d'octobre": the month's last day.
            fields.update(day=None, nth=-1, nth_unit="day")
    if "weeks_later" in groups:
        # "lundi en huit": a week after the coming Monday; "en quinze": two weeks after.
        fields["later_weeks"] = 2 if normalize_key(groups["weeks_later"]) in {"15", "quinze"} else 1
    if "week_of_day" in groups:
        fields.update(day=parse_day(grammar, groups["week_of_day"]), nth_unit="week")
    weekday_text = groups.get("weekday")
    if weekday_text is not None:
        for table in ("weekday", "weekday_abbr", "weekday_plural"):
            value = grammar.lookup(table, weekday_text.rstrip("."))
            if value is not None:
                fields["weekday"] = int(value)
                break
    direction = _direction(grammar, groups)
    if direction is not None:
        fields["direction"] = direction
    if "nth" in groups:
        nth = (
            grammar.lookup("ordinal", groups["nth"])
            or grammar.lookup("last_ordinal", groups["nth"])
            or parse_day(grammar, groups["nth"])
        )
        if nth is None:
            return None
        fields["nth"] = int(nth)
        unit = grammar.lookup("nth_unit", groups.get("nth_unit"))
        if unit in {"quarter", "half"}:
            fields[unit] = fields.pop("nth") if fields["nth"] > 0 else (4 if unit == "quarter" else 2)
        elif unit is not None:
            fields["nth_unit"] = unit
        if (
            ("dir" in groups or "dir2" in groups)
            and "month" not in fields
            and unit not in {"quarter", "half"}
        ):
            fields.update(period="month", offset=fields.pop("direction", 0))
    if "quarter_code" in groups:
        code = groups["quarter_code"].upper()
        fields["quarter" if code[0] in "TQ" else "half"] = int(code[1])
    if "week" in groups:
        fields["week"] = int(groups["week"])
    if "decade" in groups:
        decade = int(groups["decade"].lstrip("'"))
        fields["decade"] = decade if decade >= 100 else 1900 + decade
    season = grammar.lookup("season", groups.get("season"))
    if season is not None:
        fields["season"] = season
    holiday = grammar.lookup("holiday", groups.get("holiday"))
    if holiday is not None:
        fields["holiday"] = normalize_key(groups["holiday"])
        fields.update({k: v for k, v in holiday.items() if k in {"month", "day", "weekday", "nth", "easter"}})
    if "deictic" in groups:
        fields.update(period="day", offset=int(grammar.lookup("deictic", groups["deictic"]) or 0))
    if "now" in groups:
        fields.update(shift=0.0, shift_unit="second")
    for name in ("month_dir", "month_dir2"):
        if name in groups:
            offset = grammar.lookup("direction_before", groups[name])
            if offset is None:
                offset = grammar.lookup("direction_after", groups[name])
            fields.update(period="month", offset=int(offset or 0))
    if "period" in fixed and "period" not in fields:
        # "the 15th day of next month": a day of a period named from today.
        fields.update(period=fixed["period"], offset=fields.pop("direction", 0) or 0)
    part = grammar.lookup("part", groups.get("part"))
    if part is not None and pod_text is None:
        fields["part"] = part
    if pod_text is not None or "eod" in groups:
        # "ce soir", "la nuit dernière", "tonight", "fin de journée": a day named from today.
        deictic_pod = grammar.lookup("deictic_pod", pod_text)
        if "direction" in fields and set(fields) == {"direction"}:
            fields = {"period": "day", "offset": fields["direction"]}
        elif deictic_pod is not None or ("eod" in groups and not fields):
            fields = {"period": "day", "offset": 0}
    if not fields or set(fields) <= {"direction", "part"}:
        return None
    return DatePoint(**fields)


def _amount_with_fraction(grammar: Grammar, groups: dict[str, str], fixed: dict[str, Any]) -> float | None:
    amount = parse_amount(grammar, groups.get("n")) if "n" in groups else fixed.get("n")
    fraction = sum(
        float(grammar.lookup("fraction", groups[k]) or 0) for k in ("frac", "frac2") if k in groups
    )
    if amount is None:
        return fraction or None
    return float(amount) + fraction


def read_match(grammar: Grammar, pattern: Pattern, match: re.Match[str]) -> Node | None:
    """The node for one match, or None when the words do not make a valid expression."""
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    fixed = pattern.fixed
    kind = pattern.kind
    if kind in {"shift", "window", "duration"}:
        amount = _amount_with_fraction(grammar, groups, fixed)
        unit: Unit | None = grammar.lookup("unit", groups.get("unit"))
        if amount is None or unit is None:
            return None
        if kind == "shift":
            return When(date=DatePoint(shift=fixed.get("sign", 1) * amount, shift_unit=unit))
        if kind == "window":
            direction = _direction(grammar, groups)
            return Window(amount=amount, unit=unit, direction=direction or -1) if direction else None
        mod = grammar.lookup("quantity_mod", groups.get("qmod"))
        return Duration(amount=amount, unit=unit, mod=mod)
    if kind == "period":
        unit_text = groups.get("unit") or groups.get("unit2")
        period = grammar.lookup("period_unit", unit_text) or grammar.lookup("unit", unit_text)
        if period is None:
            return None
        part = grammar.lookup("part", groups.get("part")) or fixed.get("part")
        direction = _direction(grammar, groups)
        return When(date=DatePoint(period=period, offset=direction or 0, direction=direction, part=part))
    if kind == "set":
        return _read_set(grammar, groups)
    if kind == "range":
        # Groups of the second bound end in "_e" ("day_e", "month_e"): "du 4 au 22 janvier".
        end_groups = {k[:-2]: v for k, v in groups.items() if k.endswith("_e")}
        start_groups = {k: v for k, v in groups.items() if not k.endswith("_e")}
        start, end = _read_when(grammar, start_groups, fixed), _read_when(grammar, end_groups, fixed)
        return Range(start=start, end=end) if start is not None and end is not None else None
    return _read_when(grammar, groups, fixed)


def _read_when(grammar: Grammar, groups: dict[str, str], fixed: dict[str, Any]) -> When | None:
    date = read_date(grammar, groups, fixed)
    time = read_time(grammar, groups)
    if date is None and time is None:
        return None
    return When(date=date, time=time)


def _read_set(grammar: Grammar, groups: dict[str, str]) -> Recurrence | None:
    unit = grammar.lookup("frequency", groups.get("frequency")) or grammar.lookup("unit", groups.get("unit"))
    weekday = None
    if "weekday" in groups:
        weekday = grammar.lookup("weekday", groups["weekday"])
        if weekday is None:
            weekday = grammar.lookup("weekday_plural", groups["weekday"])
    time = read_time(grammar, groups)
    if unit is None and weekday is None and time is None:
        return None
    amount = parse_amount(grammar, groups.get("n")) if "n" in groups else None
    return Recurrence(amount=amount or (1.0 if unit else None), unit=unit, weekday=weekday, time=time)
