"""Hand-made analyses for store tests: real :class:`veille.models.Analysis` records, no spaCy.

The store only stores what the pipeline gives it, so its tests build the records directly; one
helper (``fake_analyze_many``) derives records from a text with fixed rules, to stand in for the
pipeline in ingest tests that are about batching, idempotence and crashes, not linguistics.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence

from veille.ingest.raw import RawDocument
from veille.models import (
    Actor,
    Analysis,
    Article,
    Claim,
    ClaimEvidence,
    Entity,
    Event,
    EventActor,
    EventPlace,
    Evidence,
    Failure,
    Place,
    Published,
    Quote,
    Removed,
    Speaker,
)

ACTOR_CODES = {"Pompeo": "USAGOV", "Minsk": "BLRGOV", "NATO": "IGOWSTNAT", "Moscow": "RUSGOV"}


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def event(
    text: str,
    needle: str,
    *,
    cameo: str,
    source: str | None,
    target: str | None,
    date: str | None,
    modality: str = "asserted",
    claim_id: str | None = None,
    event_id: str = "e1",
    place: EventPlace | None = None,
) -> Event:
    start, end = span(text, needle)
    return Event(
        id=event_id,
        cameo=cameo,
        source=EventActor(text=source, code=ACTOR_CODES.get(source, source)) if source else None,
        target=EventActor(text=target, code=ACTOR_CODES.get(target, target)) if target else None,
        date=date,
        place=place,
        modality=modality,  # type: ignore[arg-type]
        claim_id=claim_id,
        confidence=0.8,
        evidence=Evidence(start=start, end=end, text=needle),
    )


def claim(text: str, needle: str, *, status: str, claim_id: str = "c1", key: str | None = None) -> Claim:
    start, end = span(text, needle)
    return Claim(
        id=claim_id,
        text=needle,
        status=status,  # type: ignore[arg-type]
        key=key,
        evidence=(ClaimEvidence(start=start, end=end, text=needle, role="origin"),),
    )


def analysis(
    text: str,
    *,
    uid: str = "a1",
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    language: str = "en",
    events: Sequence[Event] = (),
    claims: Sequence[Claim] = (),
    title: str | None = None,
) -> Analysis:
    return Analysis(
        veille_version="test",
        article=Article(
            id=uid,
            url=url,
            title=title,
            language=language,
            published=Published(date=published, source="metadata" if published else None),
            text=text,
            removed=(Removed(text="Share this", reason="share-button"),),
            source=outlet,
        ),
        events=tuple(events),
        claims=tuple(claims),
    )


def rich_analysis(text: str, **kwargs: object) -> Analysis:
    """An analysis with at least one record of every kind (for round trips)."""
    base = analysis(text, **kwargs)  # type: ignore[arg-type]
    s, e = span(text, "Pompeo")
    ms, me = span(text, "Minsk")
    return base.model_copy(
        update={
            "entities": (Entity(text="Pompeo", start=s, end=e, label="PER"),),
            "actors": (
                Actor(text="Pompeo", start=s, end=e, name="Mike Pompeo", code="USAGOV", country="USA"),
            ),
            "places": (
                Place(
                    text="Minsk",
                    start=ms,
                    end=me,
                    name="Minsk",
                    country="BY",
                    lat=53.9,
                    lon=27.57,
                    kind="city",
                ),
            ),
            "quotes": (
                Quote(
                    id="q1",
                    quote="we are ready",
                    start=text.index("we are ready"),
                    end=text.index("we are ready") + 12,
                    type="direct",
                    speaker=Speaker(name="Mike Pompeo", code="USAGOV"),
                    verb="said",
                    evidence=Evidence(start=0, end=len(text), text=text),
                ),
            ),
            "events": (
                event(
                    text,
                    "visited Minsk",
                    cameo="042",
                    source="Pompeo",
                    target="Minsk",
                    date="2020-02-01",
                    place=EventPlace(name="Minsk", country="BY", lat=53.9, lon=27.57),
                ),
            ),
            "claims": (claim(text, "we are ready", status="reported"),),
        }
    )


POMPEO = (
    "Mike Pompeo visited Minsk on Saturday for talks with the Belarusian leadership.\n\n"
    '"We are ready to help," he said, and we are ready to supply oil, officials added later that day.'
)

_MEETING = re.compile(r"(\w+) met (\w+) on (\d{4}-\d{2}-\d{2})")


def fake_analysis(raw: RawDocument) -> Analysis | Failure:
    """Deterministic stand-in for the pipeline: 'X met Y on DATE' sentences become 040 events."""
    text = raw.text if raw.text is not None else (raw.data or b"").decode("utf-8", "replace")
    if not text.strip():
        return Failure(source=raw.source, error="no article text found after cleaning")
    events = [
        Event(
            id=f"e{i}",
            cameo="040",
            source=EventActor(text=m.group(1), code=m.group(1).upper()[:3] + "GOV"),
            target=EventActor(text=m.group(2), code=m.group(2).upper()[:3] + "GOV"),
            date=m.group(3),
            confidence=0.7,
            evidence=Evidence(start=m.start(), end=m.end(), text=m.group(0)),
        )
        for i, m in enumerate(_MEETING.finditer(text))
    ]
    return analysis(
        text,
        uid=hashlib.sha1(text.encode()).hexdigest()[:16],
        url=raw.url,
        outlet=raw.meta.get("source"),
        published=raw.meta.get("published"),
        language=raw.meta.get("lang", "en"),
        events=events,
    )


def fake_analyze_many(sources: Iterable[RawDocument], **_kwargs: object) -> Iterator[Analysis | Failure]:
    for raw in sources:
        yield fake_analysis(raw)
