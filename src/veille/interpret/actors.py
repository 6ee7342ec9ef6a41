"""Actor records of the contract: each mention coded with the coding valid at the article's date.

``code_actors(doc, at=...)`` turns ``doc._.veille_actor_mentions`` (the ``veille_actors`` component) into
:class:`~veille.models.Actor` records; ``actor_at`` finds the actor of a character range (for events and
quotes). Importing this module registers the "actor-tenure" publication-date constraint
(:mod:`veille.interpret.actor_tenure`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from spacy.tokens import Doc

from veille.annotate.actor_kb import code_table
from veille.annotate.actor_types import ActorMention, Coding
from veille.interpret.actor_tenure import tenure_constraint
from veille.interpret.published import register_constraint
from veille.models import Actor

__all__ = ["actor_at", "choose_coding", "code_actors", "published_day"]

register_constraint("actor-tenure", tenure_constraint)


def published_day(value: str | None) -> dt.date | None:
    """The article's publication day from ``Published.date`` (None when absent or not a full date)."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _distance(coding: Coding, day: dt.date) -> int:
    if coding.start is not None and day < coding.start:
        return (coding.start - day).days
    if coding.end is not None and day > coding.end:
        return (day - coding.end).days
    return 0


def choose_coding(codings: Sequence[Coding], at: dt.date | None) -> tuple[Coding, float] | None:
    """The coding valid at ``at`` and how sure the choice is.

    At a date: the narrowest dated coding holding then, else an undated default (the Phoenix dictionaries'
    "otherwise" code), else the nearest coding in time, a past office-holder becoming ELI (CAMEO's code for
    former officials). Without a date: an undated (text-stated) coding that names a country, else the
    current office (open end), else the latest one, with lower confidence.
    """
    if not codings:
        return None
    undated = [c for c in codings if not c.dated]
    dated = [c for c in codings if c.dated]
    if at is None:
        # A stated title without a country ("President William Ruto") gives way to the knowledge
        # base's current office, which has one.
        if undated and (undated[0].country is not None or not any(c.country for c in dated)):
            return undated[0], 1.0 if not dated else 0.8
        current = [c for c in dated if c.end is None]
        pool = current or dated
        best = max(pool, key=lambda c: (c.end or dt.date.max, c.start or dt.date.min))
        return best, 0.7
    holding = [c for c in dated if c.valid_at(at)]
    if holding:
        return max(holding, key=lambda c: c.start or dt.date.min), 1.0
    if undated:
        return undated[0], 1.0 if not dated else 0.9
    nearest = min(dated, key=lambda c: _distance(c, at))
    if nearest.end is not None and at > nearest.end and nearest.country is not None:
        return code_table().coding(nearest.country + "ELI", start=nearest.end), 0.6
    return nearest, 0.5


def _actor(mention: ActorMention, at: dt.date | None) -> Actor:
    chosen = choose_coding(mention.codings, at)
    coding, sure = chosen if chosen is not None else (None, 0.5)
    return Actor(
        text=mention.text,
        start=mention.start,
        end=mention.end,
        name=mention.name,
        code=coding.code if coding is not None else None,
        country=coding.country if coding is not None else None,
        role=coding.role if coding is not None else None,
        kb_id=mention.kb_id,
        confidence=round(mention.confidence * sure, 3),
    )


def code_actors(doc: Doc, *, at: dt.date | None) -> tuple[Actor, ...]:
    mentions = doc._.veille_actor_mentions if Doc.has_extension("veille_actor_mentions") else None
    return tuple(_actor(m, at) for m in mentions or ())


def actor_at(actors: Sequence[Actor], start: int, end: int) -> Actor | None:
    """The actor whose span overlaps ``[start, end)`` most (ties: the tighter span), or None."""
    end = max(end, start + 1)  # a point query still finds the actor around it
    best: tuple[int, int] | None = None
    found: Actor | None = None
    for actor in actors:
        overlap = min(end, actor.end) - max(start, actor.start)
        if overlap <= 0:
            continue
        key = (overlap, -(actor.end - actor.start))
        if best is None or key > best:
            best, found = key, actor
    return found
