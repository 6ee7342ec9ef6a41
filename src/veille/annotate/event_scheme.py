"""Dependency-label schemes and word lists the argument reader (:mod:`veille.annotate.event_syntax`)
relies on: which labels mean subject, object, passive, clause, for UD (French models) and ClearNLP
(the English model), the bounds that keep every walk over a parse linear, and the token range
of an argument phrase (:func:`span_bounds`), which reads these labels and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

MAX_UP = 12  # steps when climbing heads (control chains, clause heads)
MAX_SPAN = 24  # an argument span keeps tokens at most this far from its head
MAX_CONJ = 6
AUX_LIKE = frozenset({"aux", "aux:tense", "aux:pass", "auxpass", "expl:comp", "expl:pass", "advmod", "neg"})
QUANTITIES = frozenset(
    {
        "dizaine",
        "douzaine",
        "vingtaine",
        "trentaine",
        "centaine",
        "millier",
        "million",
        "milliard",
        "nombre",
        "plupart",
        "partie",
        "groupe",
        "foule",
        "dozen",
        "dozens",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "millions",
        "score",
        "scores",
        "number",
        "group",
        "handful",
        "majority",
        "some",
        "several",
    }
)
# Adverbs the French parser makes the head of "de X" in a compound preposition that can name a party
# ("auprès de Pyongyang"); not "lors de", "avant de" and the like, which say when.
PREPOSITION_ADVERBS = frozenset({"auprès", "près", "autour", "face", "hors"})
# Contracted French prepositions, as some models lemmatize them ("au" → "à").
CONTRACTED = {"au": "à", "aux": "à", "du": "de", "des": "de"}

IMPERSONAL = frozenset({"falloir", "agir", "sembler", "paraître", "être", "avoir", "exister", "rester"})


@dataclass(frozen=True)
class Scheme:
    subj: frozenset[str]
    subj_pass: frozenset[str]
    obj: frozenset[str]
    iobj: frozenset[str]
    passive_markers: frozenset[str]
    clausal: frozenset[str]
    control: frozenset[str]
    relcl: frozenset[str]
    noun_mods: frozenset[str]


UD = Scheme(
    subj=frozenset({"nsubj"}),
    subj_pass=frozenset({"nsubj:pass"}),
    obj=frozenset({"obj"}),
    iobj=frozenset({"iobj"}),
    passive_markers=frozenset({"aux:pass", "nsubj:pass", "obl:agent", "expl:pass"}),
    clausal=frozenset({"ccomp", "xcomp", "advcl", "acl", "acl:relcl", "parataxis", "csubj", "conj"}),
    control=frozenset({"xcomp"}),
    relcl=frozenset({"acl:relcl"}),
    noun_mods=frozenset({"amod"}),
)
CLEAR = Scheme(
    subj=frozenset({"nsubj"}),
    subj_pass=frozenset({"nsubjpass"}),
    obj=frozenset({"dobj"}),
    iobj=frozenset({"dative"}),
    passive_markers=frozenset({"auxpass", "nsubjpass", "agent"}),
    clausal=frozenset({"ccomp", "xcomp", "advcl", "acl", "relcl", "parataxis", "csubj", "conj", "pcomp"}),
    control=frozenset({"xcomp"}),
    relcl=frozenset({"relcl"}),
    noun_mods=frozenset({"amod", "compound", "npadvmod", "nmod"}),
)
HEAD_EXCLUDED = frozenset(
    {
        "conj",
        "cc",
        "case",
        "mark",
        "punct",
        "acl",
        "acl:relcl",
        "relcl",
        "advcl",
        "ccomp",
        "xcomp",
        "parataxis",
        "cop",
        "aux",
        "aux:tense",
        "aux:pass",
        "auxpass",
        "dep",
        "discourse",
        "orphan",
        "reparandum",
    }
)
DEEP_EXCLUDED = frozenset({"acl:relcl", "relcl", "advcl", "ccomp", "parataxis", "acl", "xcomp"})
NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM", "X"})
VERBAL = frozenset({"VERB", "AUX"})


def is_paragraph_break(token: Token) -> bool:
    """A blank line (a single line break may be a wrapped line inside a sentence)."""
    return token.is_space and token.text.count("\n") >= 2


def across_paragraphs(a: Token, b: Token) -> bool:
    low, high = sorted((a.i, b.i))
    return any(is_paragraph_break(t) for t in a.doc[low + 1 : high])


_PAIRS = (("(", ")"), ("«", "»"), ("“", "”"))


def span_bounds(head: Token) -> tuple[int, int]:
    """Token range [start, end) of the phrase headed by ``head``, without clauses or conjuncts."""
    keep = [head]
    stack = [(c, True) for c in head.children]
    while stack:
        node, top = stack.pop()
        excluded = HEAD_EXCLUDED if top else DEEP_EXCLUDED
        if node.dep_ in excluded or abs(node.i - head.i) > MAX_SPAN:
            continue
        keep.append(node)
        stack.extend((c, False) for c in node.children)
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    doc = head.doc
    # Never across paragraphs: the parser may hang the next paragraph's words on this one's.
    for k in range(head.i - 1, start - 1, -1):
        if is_paragraph_break(doc[k]):
            start = k + 1
            break
    for k in range(head.i + 1, end):
        if is_paragraph_break(doc[k]):
            end = k
            break
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end - 1 > head.i and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    # "Les Forces de soutien rapide (FSR)", "une « censure inacceptable »": keep the bracket or the
    # quotation mark the phrase opened.
    for left, right in _PAIRS:
        opened = sum(t.text == left for t in doc[start:end]) - sum(t.text == right for t in doc[start:end])
        k = end
        while k < len(doc) and doc[k].is_space and "\n" not in doc[k].text:
            k += 1
        if opened == 1 and k < len(doc) and doc[k].text == right:
            end = k + 1
    return join_hyphenated(doc, start, end)


def join_hyphenated(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range [start, end) grown over the words joined to it by hyphens with no space: a name
    the parser tore apart ("Royaume-Uni" as "Royaume" "-" "Uni", "Abd al-Rahman"), also when the
    parser made the hyphen itself the head ("El-Facher")."""
    if (
        doc[start].text == "-"
        and start >= 1
        and not doc[start - 1].whitespace_
        and not doc[start].whitespace_
    ):
        start -= 1
    if (
        doc[end - 1].text == "-"
        and 2 <= end < len(doc)
        and not doc[end - 2].whitespace_
        and not doc[end - 1].whitespace_
    ):
        end += 1
    while start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
        if doc[start - 1].whitespace_ or not doc[start - 2].is_alpha:
            break
        start -= 2
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_:
        if doc[end].whitespace_ or not doc[end + 1].is_alpha:
            break
        end += 2
    return start, end
