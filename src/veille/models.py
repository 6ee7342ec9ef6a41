"""Typed, frozen records: the whole output of veille, and its JSON form (the contract).

Every record that states a fact carries evidence as character offsets into the clean text
(``Article.text``). The JSON shape is documented in ``shared/contracts/README.md``: keys may be
added, never renamed or removed. This module imports nothing else of veille.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

DateType = Literal["date", "daterange", "datetime", "datetimerange", "time", "timerange", "duration", "set"]
PublishedSource = Literal["metadata", "text", "user"]
Modality = Literal["asserted", "reported", "conditional", "claimed", "intended"]
Stance = Literal["neutral", "distancing", "endorsing"]
QuoteType = Literal["direct", "indirect", "mixed"]
ClaimStatus = Literal["reported", "unverified", "denied", "confirmed"]


class Record(BaseModel):
    """Base of every record: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(Record):
    """A span of the clean text that proves a fact."""

    start: int
    end: int
    text: str


class PublishedEvidence(Evidence):
    """Why a publication date was chosen (or which candidates were left)."""

    why: str


class Published(Record):
    date: str | None = None  # YYYY-MM-DD
    source: PublishedSource | None = None
    evidence: tuple[PublishedEvidence, ...] = ()
    # Candidate dates left by the text when no constraint decided (kept for explainability).
    candidates: tuple[str, ...] = ()


class Removed(Record):
    """A piece of the page dropped as boilerplate, with the rule that dropped it."""

    text: str
    reason: str


class Article(Record):
    id: str
    url: str | None = None
    title: str | None = None
    language: str | None = None
    published: Published = Published()
    text: str
    removed: tuple[Removed, ...] = ()
    source: str | None = None  # outlet or site name when known


class DateMention(Record):
    text: str
    start: int
    end: int
    type: DateType
    value: str | None = None  # YYYY-MM-DD | YYYY-MM | YYYY | ISO 8601 duration | time
    range: tuple[str, str] | None = None
    timex: str | None = None
    mod: str | None = None  # before/after/since/until/approx/more/less/start/mid/end


class Entity(Record):
    text: str
    start: int
    end: int
    label: str


class Actor(Record):
    text: str
    start: int
    end: int
    name: str
    code: str | None = None
    country: str | None = None
    role: str | None = None
    kb_id: str | None = None
    confidence: float = 1.0


class Place(Record):
    text: str
    start: int
    end: int
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    kind: str | None = None
    confidence: float = 1.0
    admin1: str | None = None  # GeoNames admin1 code of the place (GDELT ADM1Code)


class EventActor(Record):
    text: str
    code: str | None = None
    start: int | None = None
    end: int | None = None


class EventPlace(Record):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


class Event(Record):
    id: str
    cameo: str
    plover: str | None = None
    source: EventActor | None = None
    target: EventActor | None = None
    date: str | None = None
    place: EventPlace | None = None
    negated: bool = False
    modality: Modality = "asserted"
    claim_id: str | None = None
    confidence: float
    evidence: Evidence
    goldstein: float | None = None
    quad_class: int | None = None
    trigger: str | None = None


class Speaker(Record):
    name: str | None = None
    code: str | None = None
    start: int | None = None
    end: int | None = None
    mention: str | None = None  # the words in the text ("a-t-il", "la source")


class Quote(Record):
    id: str
    quote: str
    start: int
    end: int
    type: QuoteType
    speaker: Speaker = Speaker()
    verb: str | None = None
    stance: Stance = "neutral"
    verb_class: str | None = None  # lexicon class of the verb: neutral/distancing/endorsing/denial
    via: tuple[str, ...] = ()
    evidence: Evidence


class ClaimEvidence(Evidence):
    role: str  # origin, relay, denial, confirmation, support, doubt, statement


class Claim(Record):
    id: str
    text: str
    origin: str | None = None
    chain: tuple[str, ...] = ()
    status: ClaimStatus
    by: str | None = None
    evidence: tuple[ClaimEvidence, ...] = ()
    key: str | None = None  # stable key for cross-article linking


class Analysis(Record):
    """The full analysis of one article: what `veille analyze --format json` prints."""

    veille_version: str
    article: Article
    dates: tuple[DateMention, ...] = ()
    entities: tuple[Entity, ...] = ()
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        """The contract's JSON form (tuples become lists)."""
        return self.model_dump(mode="json")


class Failure(Record):
    """A source that could not be analysed: one line of `--format jsonl`."""

    source: str
    error: str


__all__ = [
    "Actor",
    "Analysis",
    "Article",
    "Claim",
    "ClaimEvidence",
    "DateMention",
    "Entity",
    "Event",
    "EventActor",
    "EventPlace",
    "Evidence",
    "Failure",
    "Place",
    "Published",
    "PublishedEvidence",
    "Quote",
    "Removed",
    "Speaker",
]
