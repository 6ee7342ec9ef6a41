"""Repairs of parser errors that the argument reader (:mod:`veille.annotate.event_syntax`) meets
often enough to undo: a subject left as a tree of its own, a finite verb made an ``acl`` of the noun
before it, the first item of a list made the root, "selon"/"d'après" hung on the verb. Each function
recognises one error shape and returns what the parse should have said, or None.
"""

from __future__ import annotations

from spacy.tokens import Token

from veille.annotate.event_lexicon import norm
from veille.annotate.event_scheme import AUX_LIKE, MAX_UP


def detached_subject(verb: Token) -> Token | None:
    """ "Séoul et Tokyo ont décidé": the parser left the subject as a tree of its own, right before
    the finite verb group. Take that tree's root when nothing else is the subject."""
    group = [verb, *(c for c in verb.children if c.dep_ in AUX_LIKE)]
    first = min(t.i for t in group)
    if first == 0 or not (verb.dep_ == "ROOT" or verb.head == verb):
        return None
    left = verb.doc[first - 1]
    root = left
    for _ in range(MAX_UP):
        if root.head == root:
            break
        root = root.head
    if root == verb or root.dep_ != "ROOT" or root.pos_ not in {"PROPN", "NOUN"}:
        return None
    return root


def misparsed_acl_subject(verb: Token, *, ud: bool) -> Token | None:
    """ "La Biélorussie négocie avec l'OTAN …": the parser made the finite verb an ``acl`` of the
    sentence-root noun before it. A real relative clause is ``acl:relcl`` with "qui/que" and a
    participle is non-finite, so a *finite* plain ``acl`` right after its root noun is that error:
    the noun is the subject."""
    head = verb.head
    if not ud or verb.dep_ != "acl" or head == verb or head.i > verb.i:
        return None
    if head.dep_ != "ROOT" or head.pos_ not in {"PROPN", "NOUN"}:
        return None
    form = verb.morph.get("VerbForm", [])
    # The morphologizer errs with the parser ("négocie" read as an infinitive): trust the surface
    # when the word cannot be a French infinitive and nothing introduces an infinitive clause.
    looks_finite = not verb.lower_.endswith(("er", "ir", "re", "oir")) and not any(
        c.dep_ in {"mark", "case"} for c in verb.children
    )
    if "Fin" not in form and not ("Inf" in form and looks_finite):
        return None
    between = verb.doc[head.i + 1 : verb.i]
    if any(t.pos_ not in {"ADV", "PART"} and t.dep_ not in AUX_LIKE for t in between):
        return None
    return head


def left_conjunct(token: Token) -> Token | None:
    """ "Kiev et Moscou ont entamé": the parser hung "et" on Moscou and left Kiev as a root."""
    doc = token.doc
    for child in token.children:
        if child.dep_ == "cc" and child.i < token.i and child.i > 0:
            left = doc[child.i - 1]
            if left.dep_ == "ROOT" and left.pos_ in {"PROPN", "NOUN"} and left.i != token.head.i:
                return left
    # "Le Kenya, l'Ouganda et la Tanzanie ont condamné": the first of the list made the root and
    # the verb a relative clause of it, with no relative pronoun.
    verb, k = token.head, token.left_edge.i - 1
    if k > 0 and doc[k].text == "," and verb.dep_ in {"acl:relcl", "relcl"} and verb.head.i < k:
        left = verb.head
        named = left.i in (k - 1, doc[k - 1].head.i)  # "Le Kenya", "Joe Biden"
        if left.dep_ == "ROOT" and left.pos_ in {"PROPN", "NOUN"} and named:
            return left
    return None


def after_source_marker(token: Token) -> bool:
    """Whether the phrase of ``token`` opens with "selon" or "d'après" (the parser may hang them on
    the verb)."""
    k = token.left_edge.i
    doc = token.doc
    before = norm(doc[k - 1].text) if k >= 1 else ""
    return before == "selon" or (before == "après" and k >= 2 and doc[k - 2].text.lower() in {"d'", "d’"})
