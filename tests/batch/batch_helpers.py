"""Helpers of the Spark tests: reading the job's output, and hand-made analyses (no spaCy).

The hand-made analyses exercise what the sample articles may not produce (events between coded
actors, claims linked by key, text and events, near-duplicate texts), so that linking and GDELT
output can be compared with the store's on the same records.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from veille.models import (
    Analysis,
    Article,
    Claim,
    ClaimEvidence,
    Event,
    EventActor,
    EventPlace,
    Evidence,
    Place,
    Published,
)


def read_table(spark: Any, folder: Path, name: str) -> list[dict[str, Any]]:
    """All rows of an output table, as plain dicts (partition column included)."""
    return [row.asDict(recursive=True) for row in spark.read.parquet(str(folder / name)).collect()]


def read_lines(folder: Path) -> list[str]:
    """The lines of Spark text part files (GDELT TSV), part after part."""
    lines: list[str] = []
    for part in sorted(folder.glob("part-*")):
        lines += part.read_text(encoding="utf-8").splitlines()
    return lines


REPORT = (
    "The foreign minister travelled to Berlin on Tuesday to meet her German counterpart, and the two "
    "delegations spent most of the afternoon on energy prices, border controls and the reform of the "
    "common budget. According to officials present at the meeting, the two countries will sign a "
    "defence pact before the summer, although neither ministry would confirm the timetable to reporters "
    "waiting outside the chancellery late in the evening."
)
COPY = REPORT.replace("late in the evening", "late on Tuesday evening")
FOLLOW_UP = (
    "Four days later the minister returned to Berlin for a second round of talks. Officials confirmed "
    "that the two countries will sign a defence pact, and army units were moved to the border region."
)
DENIAL = (
    "A spokesman denied that the two countries will sign a defence pact before the summer, calling the "
    "reports premature speculation spread by anonymous officials."
)
UNDATED = "Rumours spread online that the two countries will sign a defence pact this year."


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _event(
    text: str,
    needle: str,
    *,
    local_id: str,
    cameo: str,
    source: str | None,
    target: str | None,
    date: str | None,
    claim_id: str | None = None,
    modality: str = "asserted",
) -> Event:
    start, end = _span(text, needle)
    berlin = EventPlace(name="Berlin", country="DE", lat=52.52437, lon=13.41053, geonameid=2950159)
    return Event(
        id=local_id,
        cameo=cameo,
        source=EventActor(text=source, code=source) if source else None,
        target=EventActor(text=target, code=target) if target else None,
        date=date,
        place=berlin if "Berlin" in text else None,
        modality=modality,  # type: ignore[arg-type]
        claim_id=claim_id,
        confidence=0.7,
        evidence=Evidence(start=start, end=end, text=needle),
    )


def _claim(text: str, needle: str, *, local_id: str, status: str, key: str | None = None) -> Claim:
    start, end = _span(text, needle)
    return Claim(
        id=local_id,
        text=needle,
        status=status,  # type: ignore[arg-type]
        key=key,
        evidence=(ClaimEvidence(start=start, end=end, text=needle, role="origin"),),
    )


def _analysis(
    uid: str,
    text: str,
    *,
    outlet: str | None,
    published: str | None,
    events: tuple[Event, ...] = (),
    claims: tuple[Claim, ...] = (),
) -> Analysis:
    places: tuple[Place, ...] = ()
    if "Berlin" in text:
        start, end = _span(text, "Berlin")
        places = (
            Place(
                text="Berlin",
                start=start,
                end=end,
                name="Berlin",
                country="DE",
                lat=52.52437,
                lon=13.41053,
                geonameid=2950159,
                kind="city",
                admin1="16",
            ),
        )
    return Analysis(
        veille_version="test",
        article=Article(
            id=uid,
            url=f"https://{outlet.lower().replace(' ', '-')}.example/{uid}" if outlet else None,
            language="en",
            published=Published(date=published, source="metadata" if published else None),
            text=text,
            source=outlet,
        ),
        places=places,
        events=events,
        claims=claims,
    )


def linked_analyses() -> list[Analysis]:
    """Five articles: a near-duplicate pair, events within and beyond a day, a claim in four forms."""
    visit = "travelled to Berlin"
    pact = "the two countries will sign a defence pact"
    return [
        _analysis(
            "report",
            REPORT,
            outlet="Wire One",
            published="2021-03-09",
            events=(
                _event(
                    REPORT,
                    visit,
                    local_id="e1",
                    cameo="042",
                    source="FRAGOV",
                    target="DEUGOV",
                    date="2021-03-09",
                ),
            ),
            claims=(
                _claim(REPORT, pact + " before the summer", local_id="c1", status="reported", key="pact"),
            ),
        ),
        _analysis(
            "copy",
            COPY,
            outlet="Daily Two",
            published="2021-03-10",
            events=(
                _event(
                    COPY,
                    visit,
                    local_id="e1",
                    cameo="0421",
                    source="FRAGOV",
                    target="DEUGOV",
                    date="2021-03-10",
                ),
            ),
            claims=(_claim(COPY, pact + " before the summer", local_id="c1", status="reported"),),
        ),
        _analysis(
            "follow-up",
            FOLLOW_UP,
            outlet="Third Post",
            published="2021-03-13",
            events=(
                _event(
                    FOLLOW_UP,
                    "returned to Berlin",
                    local_id="e1",
                    cameo="042",
                    source="FRAGOV",
                    target="DEUGOV",
                    date="2021-03-11",
                ),
                _event(
                    FOLLOW_UP,
                    "army units were moved",
                    local_id="e2",
                    cameo="152",
                    source="FRAMIL",
                    target=None,
                    date=None,
                    claim_id="c1",
                    modality="reported",
                ),
            ),
            claims=(_claim(FOLLOW_UP, pact, local_id="c1", status="confirmed", key="pact"),),
        ),
        _analysis(
            "denial",
            DENIAL,
            outlet="Wire One",
            published="2021-03-12",
            claims=(_claim(DENIAL, pact + " before the summer", local_id="c1", status="denied"),),
        ),
        _analysis(
            "undated",
            UNDATED,
            outlet=None,
            published=None,
            events=(
                _event(
                    UNDATED,
                    "Rumours spread online",
                    local_id="e1",
                    cameo="010",
                    source="USAMED",
                    target=None,
                    date=None,
                ),
            ),
            claims=(_claim(UNDATED, pact + " this year", local_id="c1", status="unverified"),),
        ),
    ]
