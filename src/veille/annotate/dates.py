"""``veille_dates``: date and time expressions of French and English text, with their clause tense.

Writes ``doc._.veille_date_exprs``: a list of :class:`~veille.annotate.date_types.DateExpr`
(character offsets into ``doc.text``, the parsed meaning, the tense of the clause). The grammar
is data (``data/dates/<lang>.yaml``) compiled once per language; resolution against the
publication date is :mod:`veille.interpret.dates`.

The tense matters for news conventions: "a annoncé lundi" is the last Monday, "viendra lundi"
the next one. It is read from the morphology of the verb that governs the expression (walking up
the dependency tree), looking at its auxiliaries ("a annoncé" is past, "va envoyer" future).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Token

from veille.annotate.date_atoms import find_atoms
from veille.annotate.date_combine import combine
from veille.annotate.date_grammar import Grammar, fold, load_grammar
from veille.annotate.date_types import DateExpr, Tense
from veille.annotate.doc_cache import char_span, doc_text

if not Doc.has_extension("veille_date_exprs"):
    Doc.set_extension("veille_date_exprs", default=None)

_VERBAL = frozenset({"VERB", "AUX"})
_MAX_HOPS = 6


def find_date_exprs(text: str, *, lang: str) -> list[DateExpr]:
    """The expressions of a plain text, without tense (no parse): the grammar alone."""
    grammar = load_grammar(lang)
    folded = fold(text)
    return combine(grammar, text, folded, find_atoms(grammar, text, folded))


def _clause_verb(token: Token, *, parsed: bool) -> Token | None:
    """The verb governing ``token``: the nearest verbal ancestor, else the sentence root if verbal."""
    current = token
    for _ in range(_MAX_HOPS):
        if current.pos_ in _VERBAL and current != token:
            return current
        if current.head == current:
            break
        current = current.head
    root = token.sent.root if parsed else None
    return root if root is not None and root.pos_ in _VERBAL else None


def _tense_of(verb: Token, future_aux: frozenset[str]) -> Tense | None:
    forms = [verb, *(c for c in verb.children if c.dep_.startswith("aux"))]
    # A verb complementing "aller"/"will" ("va envoyer") is a near future.
    if verb.dep_ in {"xcomp", "ccomp"} and verb.head.lemma_.lower() in future_aux:
        return "future"
    tenses: set[str] = set()
    for form in forms:
        if form.lemma_.lower() in future_aux and form != verb:
            return "future"
        tenses.update(form.morph.get("Tense", None))
        if form.tag_ in {"VBD", "VBN"}:
            tenses.add("Past")
    if "Fut" in tenses:
        return "future"
    if any(t in tenses for t in ("Past", "Imp", "Pqp")):
        return "past"
    if verb.lemma_.lower() in future_aux and any(c.pos_ == "VERB" and c.i > verb.i for c in verb.children):
        return "future"
    if "Pres" in tenses:
        return "present"
    return None


def clause_tense(doc: Doc, start: int, end: int, future_aux: frozenset[str], *, parsed: bool) -> Tense | None:
    """Tense of the clause around ``doc.text[start:end]`` (``parsed``: the Doc has a dependency parse)."""
    span = char_span(doc, start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verb = _clause_verb(span.root, parsed=parsed)
    return _tense_of(verb, future_aux) if verb is not None else None


class DateAnnotator:
    def __init__(self, nlp: Language, name: str, *, lang: str | None = None) -> None:
        self.name = name
        self.grammar: Grammar = load_grammar(lang or nlp.lang or "en")

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        folded = fold(text)
        exprs = combine(self.grammar, text, folded, find_atoms(self.grammar, text, folded))
        if not exprs:
            doc._.veille_date_exprs = []
            return doc
        # Checked once: has_annotation walks the whole Doc.
        parsed = doc.has_annotation("DEP")
        if not parsed and not doc.has_annotation("MORPH"):
            doc._.veille_date_exprs = exprs
            return doc
        future_aux, ahead = self.grammar.future_aux, self.grammar.future_cues
        doc._.veille_date_exprs = [
            replace(
                e,
                tense="future"
                if ahead and folded[e.start : e.end].lower().startswith(ahead)
                else clause_tense(doc, e.start, e.end, future_aux, parsed=parsed),
            )
            for e in exprs
        ]
        return doc


@Language.factory("veille_dates", default_config={"lang": None})
def make_date_annotator(nlp: Language, name: str, lang: str | None) -> DateAnnotator:
    return DateAnnotator(nlp, name, lang=lang)
