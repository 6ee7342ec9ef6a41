"""``veille_entities``: spaCy's NER spans, cleaned of the errors it makes on news pages.

Writes ``doc._.veille_entities`` (a list of labelled ``Span``). The rules are data
(``data/entities/rules.yaml``): leading determiners and elisions are trimmed ("l’OTAN" → "OTAN"),
spans stop at a line break ("Russie\\n\\nSe"), generic nouns are dropped ("État" in "secrétaire
d’État"), and a single sentence-initial token that the tagger reads as a verb is not a name
("Laisser un commentaire").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from veille.annotate.doc_cache import char_span, doc_text
from veille.resources import load_yaml

if not Doc.has_extension("veille_entities"):
    Doc.set_extension("veille_entities", default=None)


@dataclass(frozen=True)
class EntityRules:
    leading: tuple[str, ...]
    not_entities: frozenset[str]
    verb_pos: frozenset[str]

    @classmethod
    def for_language(cls, lang: str) -> EntityRules:
        table = load_yaml("entities/rules.yaml")
        rules = table.get(lang) or table["en"]
        return cls(
            leading=tuple(sorted(rules["leading"], key=len, reverse=True)),
            not_entities=frozenset(rules["not_entities"]),
            verb_pos=frozenset(rules["verb_pos"]),
        )


class EntityCleaner:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.rules = EntityRules.for_language(nlp.lang or "en")

    def __call__(self, doc: Doc) -> Doc:
        doc_str = doc_text(doc)
        doc._.veille_entities = [s for s in (self.clean(ent, doc_str) for ent in doc.ents) if s is not None]
        return doc

    def clean(self, ent: Span, doc_str: str | None = None) -> Span | None:
        """The cleaned span of ``ent`` (``doc_str``: the Doc's text, when the caller has it)."""
        doc = ent.doc
        full = doc_text(doc) if doc_str is None else doc_str
        start_char, end_char = ent.start_char, ent.end_char
        text = full[start_char:end_char]
        # A name never spans a line break in news text: keep the longest line-free part that
        # starts the span (the NER glues a heading's last word to the next paragraph's first).
        if "\n" in text:
            end_char = start_char + text.index("\n")
            text = full[start_char:end_char]
        for lead in self.rules.leading:
            if text.startswith(lead) and len(text) > len(lead):
                start_char += len(lead)
                text = text[len(lead) :]
                break
        text_stripped = text.rstrip(" ,.;:")
        end_char = start_char + len(text_stripped)
        if not text_stripped.strip() or text_stripped in self.rules.not_entities:
            return None
        span = char_span(doc, start_char, end_char, label=ent.label_, alignment_mode="contract")
        if span is None or len(span) == 0:
            return None
        first = span[0]
        if len(span) == 1 and first.is_sent_start and first.pos_ in self.rules.verb_pos:
            return None
        if not any(t.is_alpha for t in span):
            return None
        last = span[-1]
        if last.text == "-" and not last.whitespace_ and span.end < len(doc) and doc[span.end].is_alpha:
            # "Rami Abd al-" + "Rahman": the NER stopped at the hyphen of a name.
            span = Span(doc, span.start, span.end + 1, label=ent.label_)
        return span


def entity_spans(doc: Doc) -> list[Span]:
    """The cleaned NER spans when ``veille_entities`` ran on ``doc``, else spaCy's own."""
    cleaned = doc._.veille_entities if Doc.has_extension("veille_entities") else None
    return list(cleaned) if cleaned is not None else list(doc.ents)


@Language.factory("veille_entities")
def make_entity_cleaner(nlp: Language, name: str) -> EntityCleaner:
    return EntityCleaner(nlp, name)
