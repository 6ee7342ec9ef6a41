"""Turning one :class:`~veille.models.Analysis` into table rows (pure functions, no database)."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from functools import cache
from typing import Any

from veille.models import Analysis, Claim, Event, Quote
from veille.resources import load_tsv

# Sentence ends (a stop, then space) and paragraph breaks: good enough to number sentences the way
# GDELT's SentenceID does, without a parser in the store.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…»])\s+|\n\s*\n")
_LEAD_MIN_WORDS = 20  # the lead paragraph is the first one this long (skips title and dateline)


def parse_day(value: str | None) -> dt.date | None:
    """A date from ``YYYY-MM-DD`` (or a longer ISO timestamp); None for months, years, junk."""
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@cache
def _goldstein() -> dict[str, tuple[float | None, int | None]]:
    table: dict[str, tuple[float | None, int | None]] = {}
    for row in load_tsv("events/cameo_codes.tsv"):
        goldstein = float(row["goldstein"]) if row["goldstein"] else None
        quad = int(row["quad_class"]) if row["quad_class"] else None
        table[row["code"]] = (goldstein, quad)
    return table


def goldstein_and_quad(code: str) -> tuple[float | None, int | None]:
    """Goldstein score and QuadClass of a CAMEO code (falling back to its base, then root code)."""
    table = _goldstein()
    goldstein: float | None = None
    quad: int | None = None
    for prefix in (code, code[:3], code[:2]):
        found = table.get(prefix)
        if found:
            goldstein = goldstein if goldstein is not None else found[0]
            quad = quad if quad is not None else found[1]
    return goldstein, quad


class TextIndex:
    """Sentence numbers and the lead paragraph of one text, for GDELT's SentenceID / IsRootEvent."""

    def __init__(self, text: str) -> None:
        self._starts = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
        self.lead_end = len(text)
        offset = 0
        for paragraph in re.split(r"(\n\s*\n)", text):
            offset += len(paragraph)
            if len(paragraph.split()) >= _LEAD_MIN_WORDS:
                self.lead_end = offset
                break

    def sentence(self, offset: int) -> int:
        return bisect_right(self._starts, offset) + 1


def _confidence(value: float) -> int:
    return max(10, min(100, round(value * 100)))


def event_row(event: Event, position: int, *, published: dt.date | None, index: TextIndex) -> dict[str, Any]:
    goldstein, quad = goldstein_and_quad(event.cameo)
    source, target, place = event.source, event.target, event.place
    return {
        "position": position,
        "local_id": event.id,
        "cameo": event.cameo,
        "base_code": event.cameo[:3],
        "root_code": event.cameo[:2],
        "plover": event.plover,
        "source_text": source.text if source else None,
        "source_code": source.code if source else None,
        "source_start": source.start if source else None,
        "source_end": source.end if source else None,
        "target_text": target.text if target else None,
        "target_code": target.code if target else None,
        "target_start": target.start if target else None,
        "target_end": target.end if target else None,
        "date": event.date,
        "day": parse_day(event.date) or published,
        "place_name": place.name if place else None,
        "place_country": place.country if place else None,
        "place_lat": place.lat if place else None,
        "place_lon": place.lon if place else None,
        "place_geonameid": place.geonameid if place else None,
        "negated": event.negated,
        "modality": event.modality,
        "claim_local_id": event.claim_id,
        "confidence": event.confidence,
        "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end,
        "evidence_text": event.evidence.text,
        "goldstein": event.goldstein if event.goldstein is not None else goldstein,
        "quad_class": event.quad_class if event.quad_class is not None else quad,
        "trigger": event.trigger,
        "is_root_event": event.evidence.start < index.lead_end,
        "sentence_id": index.sentence(event.evidence.start),
    }


def event_mention(row: dict[str, Any], event_id: int, *, doc_len: int) -> dict[str, Any]:
    return {
        "kind": "event",
        "event_id": event_id,
        "claim_id": None,
        "sentence_id": row["sentence_id"],
        "actor1_offset": row["source_start"] if row["source_start"] is not None else -1,
        "actor2_offset": row["target_start"] if row["target_start"] is not None else -1,
        "action_offset": row["evidence_start"],
        "in_raw_text": True,
        "confidence": _confidence(row["confidence"]),
        "doc_len": doc_len,
    }


def claim_row(claim: Claim, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "local_id": claim.id,
        "text": claim.text,
        "origin": claim.origin,
        "chain": list(claim.chain),
        "status": claim.status,
        "by": claim.by,
        "key": claim.key,
    }


def claim_mention(claim: Claim, claim_id: int, *, index: TextIndex, doc_len: int) -> dict[str, Any]:
    offset = min((e.start for e in claim.evidence), default=-1)
    return {
        "kind": "claim",
        "event_id": None,
        "claim_id": claim_id,
        "sentence_id": index.sentence(offset) if offset >= 0 else 1,
        "actor1_offset": -1,
        "actor2_offset": -1,
        "action_offset": offset,
        "in_raw_text": True,
        # A claim has no confidence of its own: its evidence is quoted text, hence certain.
        "confidence": 100,
        "doc_len": doc_len,
    }


def quote_row(quote: Quote, position: int) -> dict[str, Any]:
    speaker = quote.speaker
    return {
        "position": position,
        "local_id": quote.id,
        "quote": quote.quote,
        "start": quote.start,
        "end": quote.end,
        "type": quote.type,
        "speaker_name": speaker.name,
        "speaker_code": speaker.code,
        "speaker_start": speaker.start,
        "speaker_end": speaker.end,
        "speaker_mention": speaker.mention,
        "verb": quote.verb,
        "stance": quote.stance,
        "verb_class": quote.verb_class,
        "via": list(quote.via),
        "evidence_start": quote.evidence.start,
        "evidence_end": quote.evidence.end,
        "evidence_text": quote.evidence.text,
    }


def simple_rows(analysis: Analysis) -> dict[str, list[dict[str, Any]]]:
    """Rows of the tables that need no cross-references (keyed by table name)."""
    return {
        "article_removed": [
            {"position": i, "text": r.text, "reason": r.reason}
            for i, r in enumerate(analysis.article.removed)
        ],
        "article_dates": [
            {
                "position": i,
                "text": d.text,
                "start": d.start,
                "end": d.end,
                "type": d.type,
                "value": d.value,
                "range_start": d.range[0] if d.range else None,
                "range_end": d.range[1] if d.range else None,
                "timex": d.timex,
                "mod": d.mod,
            }
            for i, d in enumerate(analysis.dates)
        ],
        "entities": [e.model_dump() | {"position": i} for i, e in enumerate(analysis.entities)],
        "actors": [a.model_dump() | {"position": i} for i, a in enumerate(analysis.actors)],
        "places": [p.model_dump() | {"position": i} for i, p in enumerate(analysis.places)],
        "quotes": [quote_row(q, i) for i, q in enumerate(analysis.quotes)],
    }
