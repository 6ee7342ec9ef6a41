"""Discourse entities the NER missed, taken from the actor annotator (``veille_actors``).

The speaker coreference (:mod:`veille.annotate.attribution_entities`) builds its entities from the
NER's spans. The actor annotator knows more: people named after a title ("le président kényan
William Ruto", which the NER sometimes misses in an unusual context) and institutions named by
their role ("le gouvernement burkinabè", "the Ukrainian army"), which a later "il", "elle" or "it"
may stand for.
"""

from __future__ import annotations

from spacy.tokens import Span

from veille.annotate.attribution import DocView
from veille.annotate.quote_lexicon import fold

_SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})


def actor_spans(view: DocView, spans: list[Span]) -> list[Span]:
    """Spans labelled PER (titled people) and ORG (institutions that are a subject) that overlap none
    of ``spans``, in the actor annotator's order; none when it has not run."""
    doc = view.doc
    if not doc.has_extension("veille_actor_mentions"):
        return []
    roles = view.lex.word_set("roles")
    taken = [(s.start_char, s.end_char) for s in spans]
    out: list[Span] = []
    for mention in doc._.veille_actor_mentions or ():
        if mention.kind == "person" and mention.name_start is not None and mention.name_end is not None:
            start, end, label = mention.name_start, mention.name_end, "PER"
        elif mention.kind == "role":
            start, end, label = mention.start, mention.end, "ORG"
        else:
            continue
        if any(s < end and start < e for s, e in taken):
            continue
        span = doc.char_span(start, end, label=label)
        if span is None:
            continue
        # A role is an institution when it is a subject and no person's title (those are role
        # subjects of their own, see DiscourseIndex._add_role_subjects).
        if label == "ORG" and (span.root.dep_ not in _SUBJECT_DEPS or fold(span.root.lemma_) in roles):
            continue
        out.append(span)
    return out
