"""Choose the publication date: the user's, else the page metadata's, else one inferred from the text.

Inference from text works in two steps:

1. the date annotator proposes *candidates*: expressions anchored on the day of publication
   ("ce mardi 4 février", "aujourd'hui 4 février") whose weekday/day/month are consistent with
   several years (a Tuesday 4 February falls in 2014, 2020 and 2025);
2. *constraints* drop candidates the rest of the article excludes. A constraint is any callable
   registered with :func:`register_constraint` (the actor knowledge base registers one: the people
   named hold the offices they are given only in some years).

When several candidates survive every constraint, none is chosen: they are all reported in the
evidence, because a wrong date silently shifts every relative date of the article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from veille.models import Published, PublishedEvidence


@dataclass(frozen=True, kw_only=True)
class DateCandidate:
    """A possible publication date and the words that suggest it."""

    date: dt.date
    evidence: PublishedEvidence


@dataclass(frozen=True, kw_only=True)
class ConstraintVerdict:
    """Which candidate dates a constraint keeps, and the text that justifies it."""

    allowed: frozenset[dt.date]
    evidence: tuple[PublishedEvidence, ...] = ()


# A constraint sees the annotated Doc and the candidate dates; None means "no opinion".
Constraint = Callable[[Doc, Sequence[dt.date]], ConstraintVerdict | None]

_CONSTRAINTS: dict[str, Constraint] = {}


def register_constraint(name: str, constraint: Constraint) -> None:
    """Plug a constraint in (idempotent by name)."""
    _CONSTRAINTS[name] = constraint


def registered_constraints() -> dict[str, Constraint]:
    return dict(_CONSTRAINTS)


def decide_published(
    doc: Doc,
    *,
    user: dt.date | None,
    metadata: str | None,
    metadata_evidence: Sequence[PublishedEvidence] = (),
    candidates: Sequence[DateCandidate] = (),
    constraints: Sequence[Constraint] | None = None,
) -> Published:
    if user is not None:
        return Published(date=user.isoformat(), source="user")
    if metadata:
        return Published(date=metadata, source="metadata", evidence=tuple(metadata_evidence))
    if not candidates:
        return Published()
    return _infer(doc, candidates, list(_CONSTRAINTS.values()) if constraints is None else constraints)


def _infer(doc: Doc, candidates: Sequence[DateCandidate], constraints: Sequence[Constraint]) -> Published:
    evidence: list[PublishedEvidence] = [c.evidence for c in candidates]
    dates = sorted({c.date for c in candidates})
    alive = set(dates)
    for constraint in constraints:
        verdict = constraint(doc, dates)
        if verdict is None:
            continue
        narrowed = alive & verdict.allowed
        if not narrowed:
            # A constraint that rules out everything contradicts the text: keep what we had.
            continue
        alive = narrowed
        evidence.extend(verdict.evidence)
    remaining = tuple(d.isoformat() for d in sorted(alive))
    if len(alive) == 1:
        return Published(date=remaining[0], source="text", evidence=_dedupe(evidence), candidates=remaining)
    return Published(date=None, source=None, evidence=_dedupe(evidence), candidates=remaining)


def _dedupe(items: Sequence[PublishedEvidence]) -> tuple[PublishedEvidence, ...]:
    seen: set[tuple[int, int, str]] = set()
    out: list[PublishedEvidence] = []
    for item in items:
        key = (item.start, item.end, item.why)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return tuple(out)
