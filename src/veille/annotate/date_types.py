"""The parsed form of a date/time expression, as written by ``veille_dates`` on ``doc._.veille_date_exprs``.

These objects say what the words mean, not which calendar day they denote: "lundi" is
``When(date=DatePoint(weekday=0))`` whatever the article's date. Resolution against a reference
date is :mod:`veille.interpret.dates`. Every object is frozen so a Doc's annotations can be
shared safely between threads and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Calendar and clock units. "weekend" and "fortnight" are periods of their own in news text.
Unit = Literal[
    "century", "decade", "year", "half", "quarter", "month", "fortnight", "week", "weekend", "day", "hour",
    "minute", "second",
]  # fmt: skip
# "to_date": from the start of the period to the reference; "later"/"earlier": the rest of the period
# after/before the reference ("later this week").
Part = Literal["start", "mid", "end", "to_date", "later", "earlier"]
Tense = Literal["past", "present", "future"]
OpenMod = Literal["since", "after", "before", "until"]
QuantityMod = Literal["more", "less", "approx"]
PartOfDay = Literal["MO", "MI", "AF", "EV", "NI"]  # morning, midday, afternoon, evening, night

TIME_UNITS: frozenset[str] = frozenset({"hour", "minute", "second"})


@dataclass(frozen=True, slots=True, kw_only=True)
class DatePoint:
    """A calendar position, absolute or relative to the reference, possibly partial.

    Exactly the parts written are set: "le 3 janvier" has ``day=3, month=1`` and no year; the
    resolver picks the year from the tense of the clause.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # 0 = Monday
    week: int | None = None  # ISO week number ("semaine 12")
    quarter: int | None = None
    half: int | None = None
    season: str | None = None  # SP SU FA WI
    holiday: str | None = None  # the holiday's name, as a lexicon key (the date parts are set too)
    # -1 "dernier/last", 0 "ce/this", +1 "prochain/next"; None lets the tense decide.
    direction: int | None = None
    # A whole period relative to the reference: "la semaine prochaine" = (week, +1).
    period: Unit | None = None
    offset: int = 0
    # A distance from the reference: "il y a trois jours" = (-3, day); "dans 5 minutes" = (5, minute).
    shift: float | None = None
    shift_unit: Unit | None = None
    # "premier vendredi de juillet" (nth=1 of weekday), "dernière semaine de mars" (nth=-1 of week).
    nth: int | None = None
    nth_unit: Unit | None = None
    part: Part | None = None  # début / mi / fin of the period
    decade: int | None = None  # "les années 1990" = 1990
    easter: int | None = None  # days after Easter Sunday (movable feasts)
    # "lundi en huit": this many weeks after the first such weekday on or after the reference.
    later_weeks: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeOfDay:
    """A clock time or a part of the day ("à 8h30", "le soir", "tôt le matin")."""

    hour: int | None = None
    minute: int = 0
    second: int = 0
    ampm: Literal["am", "pm"] | None = None
    pod: PartOfDay | None = None
    part: Part | None = None  # early/late within the part of the day
    approx: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class When:
    """A point or period: a date, a time, or both ("mardi à 8h", "hier soir")."""

    date: DatePoint | None = None
    time: TimeOfDay | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Range:
    """Explicit bounds: "du 4 au 22 janvier", "between Monday and Friday"."""

    start: When
    end: When


@dataclass(frozen=True, slots=True, kw_only=True)
class Open:
    """A half-open range: "depuis 2014" (since), "avant mardi" (before), "after 2016"."""

    mod: OpenMod
    anchor: When


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """The N units before or after the reference: "les trois derniers jours", "next 3 weeks"."""

    amount: float
    unit: Unit
    direction: int  # -1 past, +1 future


@dataclass(frozen=True, slots=True, kw_only=True)
class Duration:
    """A length of time: "depuis plus de 25 ans" = 25 years, mod "more"."""

    amount: float
    unit: Unit
    mod: QuantityMod | None = None
    since: bool = False  # "depuis N ans": the duration runs up to the reference


@dataclass(frozen=True, slots=True, kw_only=True)
class Recurrence:
    """A set of times: "chaque lundi", "tous les deux jours", "weekly at 9am"."""

    amount: float | None = None  # interval: every <amount> <unit>
    unit: Unit | None = None
    weekday: int | None = None
    time: TimeOfDay | None = None


Node = When | Range | Open | Window | Duration | Recurrence


@dataclass(frozen=True, slots=True, kw_only=True)
class DateExpr:
    """One expression found in the text: its offsets into ``doc.text``, its meaning and its clause tense."""

    start: int
    end: int
    text: str
    node: Node
    tense: Tense | None = None
    rule: str = ""  # name of the grammar pattern that found it (explainability, debugging)
