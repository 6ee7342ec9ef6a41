"""Quote records from the ``veille_quotes`` annotations: who said what, with which verb, via whom.

The speaker's name is the one coreference resolved ("a-t-il" → "Jens Stoltenberg"); its code comes
from the actor covering the resolved name (or the mention itself). The stance is the reporting
verb's (prétendre → distancing); "selon" and a bare colon are neutral.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from spacy.tokens import Doc

from veille.annotate.attribution import Attribution, Mention, text_of
from veille.interpret.actors import actor_at
from veille.models import Actor, Evidence, Quote, Speaker, Stance


def quote_id(start: int, end: int, text: str) -> str:
    """Stable per article: the same words at the same place get the same id."""
    return "q" + hashlib.sha1(f"{start}:{end}:{text}".encode()).hexdigest()[:12]


def attributions(doc: Doc) -> list[Attribution]:
    """The component's output, or an empty list when the pipeline ran without it."""
    if not Doc.has_extension("veille_quotes"):
        return []
    return list(doc._.veille_quotes or [])


def _code(actors: Sequence[Actor], mention: Mention) -> str | None:
    for start, end in ((mention.name_start, mention.name_end), (mention.start, mention.end)):
        if start is None or end is None:
            continue
        actor = actor_at(actors, start, end)
        if actor is not None and actor.code:
            return actor.code
    return None


def _stance(record: Attribution) -> Stance:
    stance = record.verb.stance if record.verb is not None else "neutral"
    if stance == "distancing":
        return "distancing"
    if stance == "endorsing":
        return "endorsing"
    return "neutral"


def quote_record(doc: Doc, record: Attribution, actors: Sequence[Actor]) -> Quote:
    text = text_of(doc)
    speaker = Speaker()
    if record.speaker is not None:
        mention = record.speaker
        speaker = Speaker(
            name=mention.name,
            code=_code(actors, mention),
            start=mention.start,
            end=mention.end,
            mention=mention.text,
        )
    verb = record.cue if record.cue not in {None, ":"} else None
    return Quote(
        id=quote_id(record.start, record.end, text[record.start : record.end]),
        quote=text[record.start : record.end],
        start=record.start,
        end=record.end,
        type="mixed" if record.type == "mixed" else "indirect" if record.type == "indirect" else "direct",
        speaker=speaker,
        verb=verb,
        stance=_stance(record),
        verb_class=record.verb.cls if record.verb is not None else ("neutral" if verb else None),
        via=tuple(dict.fromkeys(v.name for v in record.via if v.name)),
        evidence=Evidence(
            start=record.evidence_start,
            end=record.evidence_end,
            text=text[record.evidence_start : record.evidence_end],
        ),
    )


def extract_quotes(doc: Doc, *, actors: Sequence[Actor]) -> tuple[Quote, ...]:
    """Every quotation and reported statement of the article, in text order."""
    return tuple(quote_record(doc, record, actors) for record in attributions(doc))
