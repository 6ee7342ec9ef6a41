"""Join neighbouring atoms into larger expressions, in the order a reader would.

1. a date and a time or part of the day: "mardi" + "à 8h" → one datetime; "hier" + "soir";
2. two bounds: "du 3" … "au 5 mars", "between Monday and Friday" → a :class:`Range`, and a range
   of clock times with the day it falls on ("mardi de 14h à 16h");
3. a preposition that opens a range: "depuis 2014", "avant mardi", "after 2016" → :class:`Open`,
   and "depuis" before a duration ("depuis plus de 25 ans") marks a duration running up to now.

The words allowed in each gap are the language's (``combine`` section of its grammar file).
"""

from __future__ import annotations

from dataclasses import replace

from veille.annotate.date_atoms import Atom
from veille.annotate.date_grammar import Grammar, normalize_key
from veille.annotate.date_types import (
    DateExpr,
    DatePoint,
    Duration,
    Node,
    Open,
    Range,
    Recurrence,
    TimeOfDay,
    When,
)

_LOOKBEHIND = 30  # characters searched before an expression for an opening preposition


def _merge_time(first: TimeOfDay | None, second: TimeOfDay | None) -> TimeOfDay | None:
    if first is None or second is None:
        return first or second
    if first.hour is not None and second.hour is not None:
        return None  # two clock times are a range, not one time
    clock, other = (first, second) if first.hour is not None else (second, first)
    return replace(clock, pod=clock.pod or other.pod, part=clock.part or other.part)


def _daily(date: DatePoint | None) -> bool:
    """A date naming one day (a clock time can be attached to it), not a week or a month."""
    if date is None:
        return True
    if date.period is not None:
        return date.period == "day" or date.day is not None or date.weekday is not None
    if date.shift is not None:
        return True
    return date.day is not None or date.weekday is not None or date.easter is not None


def _merge_when(a: When, b: When) -> When | None:
    """One When from a date and a time ("mardi" + "8h") or a time and a part of the day."""
    if a.date is not None and b.date is not None:
        return None
    if not (_daily(a.date) and _daily(b.date)):
        return None  # "this week 8am" is two expressions
    if a.time is None and b.time is None:
        return None
    time = _merge_time(a.time, b.time)
    if time is None:
        return None
    return When(date=a.date or b.date, time=time)


def _weekday_only(node: Node) -> bool:
    if not isinstance(node, When) or node.date is None or node.time is not None:
        return False
    d = node.date
    return d.weekday is not None and d.day is None and d.month is None and d.period is None and d.year is None


def _join_weekdays(grammar: Grammar, folded: str, atoms: list[Atom]) -> list[Atom]:
    """ "samedi" + "23/06/18", "Tuesday," + "01/22": the weekday belongs to the date that follows."""
    out: list[Atom] = []
    for atom in atoms:
        if out and _weekday_only(out[-1].node) and isinstance(atom.node, When) and atom.node.date is not None:
            prev = out[-1]
            assert isinstance(prev.node, When) and prev.node.date is not None
            date = atom.node.date
            if (
                date.day is not None
                and date.weekday is None
                and grammar.weekday_gap.fullmatch(folded, prev.end, atom.start)
            ):
                merged = When(date=replace(date, weekday=prev.node.date.weekday), time=atom.node.time)
                out[-1] = Atom(prev.start, atom.end, merged, f"{prev.rule}+{atom.rule}", "when")
                continue
        out.append(atom)
    return out


def _with_time(a: Node, b: Node) -> Recurrence | None:
    """ "chaque lundi" + "à 16h", "4pm" + "every day": a recurrence at a clock time."""
    rec, when = (a, b) if isinstance(a, Recurrence) else (b, a)
    if not isinstance(rec, Recurrence) or not isinstance(when, When) or rec.time is not None:
        return None
    if when.date is not None or when.time is None:
        return None
    return replace(rec, time=when.time)


def _join_datetimes(grammar: Grammar, folded: str, atoms: list[Atom]) -> list[Atom]:
    out: list[Atom] = []
    for atom in atoms:
        if out and grammar.datetime_gap.fullmatch(folded, out[-1].end, atom.start):
            recurrence = _with_time(out[-1].node, atom.node)
            if recurrence is not None:
                out[-1] = Atom(out[-1].start, atom.end, recurrence, f"{out[-1].rule}+{atom.rule}", "set")
                continue
        if out and isinstance(atom.node, When) and isinstance(out[-1].node, When):
            prev = out[-1]
            assert isinstance(prev.node, When)
            if grammar.datetime_gap.fullmatch(folded, prev.end, atom.start):
                merged = _merge_when(prev.node, atom.node)
                if merged is not None:
                    out[-1] = Atom(prev.start, atom.end, merged, f"{prev.rule}+{atom.rule}", "when")
                    continue
        out.append(atom)
    return out


def _compatible(a: When, b: When) -> bool:
    """Bounds of a range: two dates, two times, or a time and a datetime (the day is shared)."""
    if (a.date is None) != (b.date is None):
        return a.date is None and a.time is not None and b.time is not None
    return True


def _join_ranges(grammar: Grammar, folded: str, atoms: list[Atom]) -> list[Atom]:
    out: list[Atom] = []
    for atom in atoms:
        if out and isinstance(atom.node, When) and isinstance(out[-1].node, When):
            prev = out[-1]
            assert isinstance(prev.node, When)
            opener = grammar.range_open.search(folded, max(0, prev.start - _LOOKBEHIND), prev.start)
            mid = grammar.range_mid_open if opener else grammar.range_mid
            if _compatible(prev.node, atom.node) and mid.fullmatch(folded, prev.end, atom.start):
                start = opener.start() if opener else prev.start
                node = Range(start=prev.node, end=atom.node)
                out[-1] = Atom(start, atom.end, node, f"{prev.rule}..{atom.rule}", "range")
                continue
        out.append(atom)
    return out


def _dated_range(a: Node, b: Node) -> Range | None:
    """A range of clock times and the day it falls on: "mardi de 14h à 16h", "from 2 to 4pm tomorrow"."""
    rng, when = (a, b) if isinstance(a, Range) else (b, a)
    if not isinstance(rng, Range) or not isinstance(when, When) or when.date is None:
        return None
    if when.time is not None and when.time.hour is not None:
        return None
    if rng.start.date is not None or rng.end.date is not None:
        return None
    return Range(start=replace(rng.start, date=when.date), end=replace(rng.end, date=when.date))


def _night_of_days(a: Node, b: Node) -> Range | None:
    """ "dans la nuit" + "du 3 au 4 mars": a night that spans the two days of the range after it."""
    if not isinstance(a, When) or not isinstance(b, Range) or a.date is not None or a.time is None:
        return None
    if a.time.pod != "NI" or a.time.hour is not None or b.start.date is None or b.start.time is not None:
        return None
    return Range(start=replace(b.start, time=a.time), end=b.end)


def _join_range_dates(grammar: Grammar, folded: str, atoms: list[Atom]) -> list[Atom]:
    out: list[Atom] = []
    for atom in atoms:
        if out and grammar.datetime_gap.fullmatch(folded, out[-1].end, atom.start):
            merged = _dated_range(out[-1].node, atom.node) or _night_of_days(out[-1].node, atom.node)
            if merged is not None:
                out[-1] = Atom(out[-1].start, atom.end, merged, f"{out[-1].rule}+{atom.rule}", "range")
                continue
        out.append(atom)
    return out


def _open(grammar: Grammar, folded: str, atom: Atom) -> Atom:
    match = grammar.open_mod_before.search(folded, max(0, atom.start - _LOOKBEHIND), atom.start)
    if match is None:
        return atom
    words = normalize_key(folded[match.start() : match.end()])
    mod = None
    for cut in range(len(words.split(" ")), 0, -1):
        mod = grammar.open_mods.get(" ".join(words.split(" ")[:cut]))
        if mod is not None:
            break
    if mod is None:
        return atom
    node: Node
    if isinstance(atom.node, When):
        node = Open(mod=mod, anchor=atom.node)  # type: ignore[arg-type]
    elif isinstance(atom.node, Duration) and mod == "since":
        node = replace(atom.node, since=True)
    else:
        return atom
    return Atom(match.start(), atom.end, node, f"{mod}:{atom.rule}", "open")


def _dated_open(prev: Atom, atom: Atom, folded: str) -> Atom | None:
    """ "jeudi" + "après 9h30", "demain" + "jusqu'à 16h": the open bound is a clock time on that day."""
    if not isinstance(atom.node, Open) or not isinstance(prev.node, When):
        return None
    anchor, day = atom.node.anchor, prev.node
    if anchor.date is not None or anchor.time is None or anchor.time.hour is None:
        return None
    if day.date is None or day.time is not None or not _daily(day.date):
        return None
    if folded[prev.end : atom.start].strip(" ") != "":  # "Lundi, après 20h de…" stays apart
        return None
    node = replace(atom.node, anchor=When(date=day.date, time=anchor.time))
    return Atom(prev.start, atom.end, node, f"{prev.rule}+{atom.rule}", "open")


def combine(grammar: Grammar, text: str, folded: str, atoms: list[Atom]) -> list[DateExpr]:
    """The final expressions, in text order, with spans into ``text``."""
    joined = _join_weekdays(grammar, folded, atoms)
    joined = _join_range_dates(
        grammar, folded, _join_ranges(grammar, folded, _join_datetimes(grammar, folded, joined))
    )
    opened: list[Atom] = []
    for atom in (_open(grammar, folded, a) for a in joined):
        dated = _dated_open(opened[-1], atom, folded) if opened else None
        if dated is not None:
            opened[-1] = dated
        else:
            opened.append(atom)
    exprs = []
    for atom in opened:
        exprs.append(
            DateExpr(
                start=atom.start,
                end=atom.end,
                text=text[atom.start : atom.end],
                node=atom.node,
                rule=atom.rule,
            )
        )
    return exprs
