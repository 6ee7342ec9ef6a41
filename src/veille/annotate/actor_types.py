"""Records of the actor annotator: what ``doc._.veille_actor_mentions`` holds.

A mention is a span of the clean text naming an actor, with every coding the knowledge base and the
text itself give it. Codings carry the dates they hold for, so that the interpretation step can choose
the one valid at the article's date (``veille.interpret.actors``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Kinds of mention: the brief's person/country/igo/org/media/group/role, plus region (EUR), capital
# (a capital city standing for its government), ngo and social (a platform such as Telegram).
KINDS = frozenset(
    {"person", "country", "region", "capital", "igo", "ngo", "org", "media", "social", "group", "role"}
)


@dataclass(frozen=True, slots=True)
class Coding:
    """A CAMEO actor code valid from ``start`` to ``end`` (inclusive; None = unbounded)."""

    code: str
    country: str | None  # CAMEO 3-letter country or region code; None for IGOs and stateless actors
    role: str | None  # primary CAMEO role (GOV, MIL, MED ...); None when the code has none
    start: dt.date | None = None
    end: dt.date | None = None
    position: str | None = None  # office key ("secretary_of_state"), for persons' dated offices
    label: str | None = None  # "US Secretary of State": the office in words, for evidence
    died: dt.date | None = None  # set when the office ended with the holder's death

    def valid_at(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True, slots=True)
class ActorMention:
    """One actor named in the text (``start``/``end`` are character offsets into ``doc.text``).

    ``codings`` are what the mention means: the role the text states ("le président US") composed with
    the knowledge base's codings, or the knowledge base's dated codings alone for a bare name.
    ``stated`` is the coding the words of the text give (country and role of the title), undated;
    ``positions`` the office keys the title names; ``former`` is true for "ancien", "ex-", "former".
    """

    start: int
    end: int
    text: str
    name: str
    kb_id: str | None
    kind: str
    codings: tuple[Coding, ...]
    name_start: int | None = None
    name_end: int | None = None
    stated: Coding | None = None
    positions: tuple[str, ...] = ()
    former: bool = False
    confidence: float = 1.0
