"""Entity records from the cleaned NER spans of ``veille_entities``."""

from __future__ import annotations

from spacy.tokens import Doc

from veille.annotate.doc_cache import doc_text
from veille.annotate.entities import entity_spans
from veille.models import Entity

# spaCy's English labels folded onto the contract's coarse ones; other labels pass through.
_LABELS: dict[str, str] = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
    "LANGUAGE": "MISC",
}
# Numeric labels are covered by the date and quantity handling, not reported as entities.
_SKIP: frozenset[str] = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})


def entity_records(doc: Doc) -> tuple[Entity, ...]:
    spans = entity_spans(doc)
    text = doc_text(doc)
    out: list[Entity] = []
    for span in spans:
        if span.label_ in _SKIP:
            continue
        out.append(
            Entity(
                text=text[span.start_char : span.end_char],
                start=span.start_char,
                end=span.end_char,
                label=_LABELS.get(span.label_, span.label_),
            )
        )
    return tuple(out)
