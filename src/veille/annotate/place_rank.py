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
_QUALIFIED = 5.0  # "Town, Division" or "Town, Country"


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


def _pick(candidates: Sequence[Candidate], bonus: Mapping[int, float]) -> Ranked:
    if not candidates:
        return Ranked(None, 0.0, 0.0)
    scored = sorted(
        ((base_score(c) + bonus.get(c.entry, 0.0), -c.entry, c) for c in candidates),
        key=lambda s: (s[0], s[1]),
        reverse=True,
    )
    best = scored[0]
    second = scored[1][0] if len(scored) > 1 else None
    return Ranked(best[2], best[0], _confidence(best[0], second))


def rank(
    candidate_lists: Sequence[Sequence[Candidate]],
    *,
    names: Sequence[str] | None = None,
    context_countries: Mapping[str, float] | None = None,
    qualifiers: Mapping[int, int] | None = None,
) -> list[Ranked]:
    """The chosen candidate of each toponym (same order).

    ``names``: the toponyms' texts; a name repeated in the article votes once, and never for
    itself ("Dublin" five times must not make the article Irish).
    ``context_countries``: ISO2 → weight from outside the toponyms (demonyms, actors).
    ``qualifiers``: toponym index → index of the toponym that qualifies it ("Paris, Texas").
    """
    first = [_pick(cands, {}) for cands in candidate_lists]
    keys = [n.casefold() for n in names] if names is not None else [str(i) for i in range(len(first))]
    votes: dict[str, tuple[str, float, tuple[str, str] | None]] = {}
    for key, ranked in zip(keys, first, strict=True):
        c = ranked.candidate
        if c is None or c.country is None or key in votes:
            continue
        division = (c.country, c.admin1) if c.kind == "admin1" and c.admin1 else None
        votes[key] = (c.country, ranked.confidence, division)
    base_countries: dict[str, float] = dict(context_countries or {})
    out: list[Ranked] = []
    for index, cands in enumerate(candidate_lists):
        countries: defaultdict[str, float] = defaultdict(float, base_countries)
        divisions: defaultdict[tuple[str, str], float] = defaultdict(float)
        for key, (country, weight, division) in votes.items():
            if key != keys[index]:
                countries[country] += weight
                if division is not None:
                    divisions[division] += weight
        total = sum(countries.values()) or 1.0
        bonus: dict[int, float] = {}
        qualifier = (qualifiers or {}).get(index)
        qual = first[qualifier].candidate if qualifier is not None else None
        for c in cands:
            if c.country is None:
                continue
            b = _COUNTRY_CONTEXT * countries[c.country] / total
            if c.kind in {"city", "admin2"} and c.admin1 and divisions.get((c.country, c.admin1)):
                b += _ADMIN1_CONTEXT
            qualified = qual is not None and qual.country == c.country and c.kind in {"city", "admin2"}
            if qualified and qual is not None and (qual.kind == "country" or qual.admin1 == c.admin1):
                b += _QUALIFIED
            bonus[c.entry] = b
        out.append(_pick(cands, bonus))
    return out
