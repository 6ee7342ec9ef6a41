"""``veille_actors``: who the article names, coded the CAMEO way (USAGOV, RUSMIL, IGOWSTNAT, RUSMED ...).

Writes ``doc._.veille_actor_mentions``: a list of :class:`ActorMention` in text order, each with the
codings the text and the actor knowledge base (``data/actors/``, see its README) give it, dated so that
``veille.interpret.actors.code_actors`` can pick the one valid at the article's date.

How: the knowledge base's names, demonyms and role words are found in the text by a word-tuple lexicon
(built once per language and process, on first use); title phrases are composed around role words
(:mod:`veille.annotate.actor_titles`), remaining names coded as they stand, and titles without names or
surnames linked to the actors named before them (:mod:`veille.annotate.actor_link`). Names unknown to the
knowledge base come from the NER spans (``doc._.veille_entities`` when present, else ``doc.ents``).
All passes are linear in the number of words, so long sentences and lists of names stay cheap.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from veille.annotate.actor_compose import Context, grammar
from veille.annotate.actor_kb import code_table, load_kb
from veille.annotate.actor_link import bare_mentions, link_surnames, relink_bare_surnames, resolve_pending
from veille.annotate.actor_match import find, is_all_caps, lexicon, words
from veille.annotate.actor_titles import compose_titles
from veille.annotate.actor_types import ActorMention, Coding
from veille.annotate.doc_cache import doc_text

__all__ = ["ActorAnnotator", "ActorMention", "Coding", "annotate_text"]

if not Doc.has_extension("veille_actor_mentions"):
    Doc.set_extension("veille_actor_mentions", default=None)


def _ner_spans(doc: Doc) -> list[tuple[int, int, str]]:
    spans = doc._.veille_entities if Doc.has_extension("veille_entities") else None
    if spans is None:
        spans = doc.ents
    return [(s.start_char, s.end_char, s.label_) for s in spans]


def annotate_text(
    text: str, *, lang: str, ner: list[tuple[int, int, str]] | None = None
) -> list[ActorMention]:
    """The actor mentions of ``text`` (the component's work, without spaCy: usable on any string)."""
    ws = words(text)
    all_caps = is_all_caps(ws)
    ctx = Context(
        text=text,
        ws=ws,
        matches=find(ws, lexicon(lang), all_caps=all_caps),
        kb=load_kb(),
        codes=code_table(),
        grammar=grammar(lang if lang in ("fr", "en") else "en"),
        all_caps=all_caps,
        ner=sorted(ner or []),
    )
    titled, pending = compose_titles(ctx)
    bare = bare_mentions(ctx)
    found = relink_bare_surnames(ctx, sorted(titled + bare, key=lambda m: m.start))
    found += resolve_pending(ctx, pending, found)
    found += link_surnames(ctx, found)
    return sorted(found, key=lambda m: (m.start, m.end))


class ActorAnnotator:
    """The ``veille_actors`` component; the knowledge base is loaded on the first document."""

    def __init__(self, nlp: Language, name: str, *, lang: str | None = None) -> None:
        self.name = name
        self.lang = lang or nlp.lang or "en"

    def __call__(self, doc: Doc) -> Doc:
        doc._.veille_actor_mentions = annotate_text(doc_text(doc), lang=self.lang, ner=_ner_spans(doc))
        return doc


@Language.factory("veille_actors", default_config={"lang": None})
def make_actor_annotator(nlp: Language, name: str, lang: str | None) -> ActorAnnotator:
    return ActorAnnotator(nlp, name, lang=lang)
