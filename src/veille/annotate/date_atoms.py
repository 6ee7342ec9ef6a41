"""Find the atomic date/time expressions of a text with a compiled :class:`Grammar`.

Speed matters (the component runs on every article): instead of running every pattern over the
whole text, trigger words and digits are located in one pass, and each pattern is only tried in
the stretches of text around the triggers of the categories it needs (month names, digits...). Overlapping
matches are then resolved longest first (earlier patterns win ties), and each kept match is read
into a typed node by :mod:`veille.annotate.date_reading`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from veille.annotate.date_grammar import Grammar, Pattern, normalize_key, trigger_spans
from veille.annotate.date_reading import read_match
from veille.annotate.date_types import Node

# Context searched around a trigger: words before it ("du samedi 13 au dimanche 15" before "juillet",
# "il y a plus de" before "ans") and after it ("dernier", "prochaine", "ago").
_LEFT = 36
_RIGHT = 20
_GAP = 12  # triggers closer than this belong to one expression's chain
_NEXT_WORD = re.compile(r"\s*([^\W\d_][\w']*)")
_YEAR_PREFIX = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Atom:
    start: int
    end: int
    node: Node
    rule: str
    kind: str


def _regions(grammar: Grammar, folded: str) -> dict[frozenset[str], list[tuple[int, int]]]:
    """For each set of trigger categories a pattern needs, the stretches of text worth searching.

    Triggers close to each other form a chain ("mardi 4 février 2020"); a pattern is tried on the
    chains that hold a trigger of a category it needs, widened by the context words a pattern may
    add before and after. The cost is proportional to the relevant triggers, not to the text.
    """
    size = len(folded)
    chains: list[tuple[int, int, set[str]]] = []
    for start, end, categories in trigger_spans(grammar, folded):
        if chains and start - chains[-1][1] <= _GAP:
            last = chains[-1]
            chains[-1] = (last[0], max(last[1], end), last[2] | categories)
        else:
            chains.append((start, end, set(categories)))
    regions: dict[frozenset[str], list[tuple[int, int]]] = {}
    for needs in grammar.need_sets:
        merged: list[tuple[int, int]] = []
        for start, end, present in chains:
            if needs.isdisjoint(present):
                continue
            lo, hi = max(0, start - _LEFT), min(size, end + _RIGHT)
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        # End each region on a space so that look-aheads such as (?!\w) see the real next character.
        regions[needs] = [(lo, _to_space(folded, hi)) for lo, hi in merged]
    return regions


def _to_space(folded: str, position: int) -> int:
    size = len(folded)
    while position < size and not folded[position].isspace():
        position += 1
    return position


def _year_context(grammar: Grammar, folded: str, match: re.Match[str], start: int, end: int) -> bool:
    """A bare year is a date after a date word ("en 2019") or when no noun follows ("2000 soldats")."""
    if _YEAR_PREFIX.match(folded, match.start()):
        return True  # "l'an 2000", "the year 1999"
    before = folded[max(0, start - 30) : start]
    if grammar.date_cue_before.search(before):
        return True
    tail = before.rstrip()
    if tail and (tail[-1].isdigit() or tail[-1] in "$€£¥#+-"):
        return False
    nxt = _NEXT_WORD.match(folded, end)
    if nxt is None:
        return True
    word = nxt.group(1)
    return not word[0].islower() or normalize_key(word) in grammar.date_cue_words


def _duration_context(grammar: Grammar, folded: str, match: re.Match[str], start: int, end: int) -> bool:
    """Years and months are durations only after a duration word: "pendant 25 ans", not "âgé de 25 ans"."""
    unit = grammar.lookup("unit", match.group("unit"))
    if normalize_key(match.group("unit")) in grammar.ambiguous_units:
        following = _NEXT_WORD.match(folded, end)
        if following is not None and following.group(1)[0].islower():
            return False  # "a second round", "une seconde fois"
    if unit in {"hour", "minute"} and grammar.clock_cue_before.search(folded[max(0, start - 30) : start]):
        return False  # "à environ 15 heures" is a clock time
    if unit not in {"year", "month", "decade", "century"}:
        return True
    return grammar.duration_cue_before.search(folded[max(0, start - 30) : start]) is not None


def _month_context(grammar: Grammar, folded: str, match: re.Match[str], start: int, end: int) -> bool:
    """Month names that are also words ("may", "mars") need a clue: a day or year, a date word
    before them, or the case months are written in (capital "May" in English, lower-case "mars"
    in French where "Mars" is the planet)."""
    if "month" not in match.re.groupindex or match.group("month") is None:
        return True
    if normalize_key(match.group("month")) not in grammar.ambiguous_months:
        return True
    if any(match.group(g) for g in ("year", "n1") if g in match.re.groupindex):
        return True
    day = match.group("day") if "day" in match.re.groupindex else None
    if day is not None and (any(ch.isdigit() for ch in day) or grammar.lookup("ordinal", day.split()[-1])):
        return True  # "3 mai", "May 3", "march eighteenth" but not "one may"
    before = folded[max(0, start - 30) : start]
    if grammar.date_cue_before.search(before) is not None:
        return True
    month_start = match.start("month")
    first = folded[month_start]
    if grammar.ambiguous_month_case == "upper":
        # A capital is a clue except where every word has one ("May I ask...").
        sentence_start = not folded[:month_start].rstrip() or folded[:month_start].rstrip()[-1] in '.!?:;\n"«'
        return first.isupper() and not sentence_start
    return first.islower()


def _season_context(grammar: Grammar, folded: str, match: re.Match[str], start: int, end: int) -> bool:
    """ "été" is a season after "l'", "cet", "en"..., or with a year or a direction; else a participle."""
    if normalize_key(match.group("season")) not in grammar.ambiguous_seasons:
        return True
    if any(match.group(name) for name in ("dir", "dir2", "year") if name in match.re.groupindex):
        return True
    return grammar.season_cue_before.search(folded[max(0, start - 30) : start]) is not None


def _clock_context(grammar: Grammar, folded: str, match: re.Match[str], start: int, end: int) -> bool:
    """ "3h" is a clock time, except after "pendant", "pour", "for"...: then it is a duration."""
    return grammar.duration_only_cue_before.search(folded[max(0, start - 30) : start]) is None


def _future_context(grammar: Grammar, folded: str, match: re.Match[str], start: int, end: int) -> bool:
    """ "in 2 weeks" is a date ahead, but "in more than two decades" or "the first time in 25 years"
    is the span up to now: left to the duration pattern."""
    if match.group("qmod"):
        return False
    return grammar.span_cue_before.search(folded[max(0, start - 40) : start]) is None


_CHECKS: dict[str, Callable[[Grammar, str, re.Match[str], int, int], bool]] = {
    "year_context": _year_context,
    "duration_context": _duration_context,
    "month_context": _month_context,
    "season_context": _season_context,
    "clock_context": _clock_context,
    "future_context": _future_context,
}


def _span(match: re.Match[str], folded: str) -> tuple[int, int]:
    if match.re.groupindex.get("core") and match.group("core") is not None:
        start, end = match.span("core")
    else:
        start, end = match.span()
    # A sentence-final period is not part of the expression ("4 février."), but "p.m." keeps it.
    while (end > start and folded[end - 1] in " ,-") or (
        end - start > 1 and folded[end - 1] == "." and folded[end - 2].lower() != "m"
    ):
        end -= 1
    return start, end


def find_atoms(grammar: Grammar, text: str, folded: str) -> list[Atom]:
    """The non-overlapping atomic expressions of ``text`` (``folded`` is its accent-folded copy)."""
    seen: set[tuple[int, int, int]] = set()
    candidates: list[tuple[int, int, Pattern, re.Match[str]]] = []
    regions = _regions(grammar, folded)
    whole = [(0, len(folded))]
    for pattern in grammar.patterns:
        for lo, hi in regions.get(pattern.needs, whole) if pattern.needs else whole:
            for match in pattern.regex.finditer(folded, lo, hi):
                if match.end() == match.start():
                    continue
                start, end = _span(match, folded)
                key = (start, end, pattern.priority)
                if key in seen or end <= start:
                    continue
                seen.add(key)
                check = _CHECKS.get(pattern.check or "")
                if check is not None and not check(grammar, folded, match, start, end):
                    continue
                if not _month_context(grammar, folded, match, start, end):
                    continue
                candidates.append((start, end, pattern, match))
    # Longest first; among equals the earlier pattern (more specific by construction of the grammar).
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2].priority, c[0]))
    taken = bytearray(len(folded))  # characters already in a kept expression
    atoms: list[Atom] = []
    for start, end, pattern, match in candidates:
        if taken.find(1, start, end) != -1:
            continue
        node = read_match(grammar, pattern, match)
        if node is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        atoms.append(Atom(start, end, node, pattern.name, pattern.kind))
    atoms.sort(key=lambda a: a.start)
    return atoms
