"""Structural filters on event mentions: what a report states, and which demands are a protest's aim.

Kept apart from :mod:`veille.annotate.events` (which builds mentions from frames): these functions
only read the dependency tree around mentions already found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

if TYPE_CHECKING:
    from veille.annotate.events import EventMention

_STATEMENT_DEPS = frozenset(
    {"ccomp", "xcomp", "conj", "parataxis", "advcl", "nsubj", "nsubjpass", "dobj", "obj", "csubj", "attr"}
)


def in_statement(token: Token, verb: Token) -> bool:
    """Does ``token`` belong to what ``verb`` states (its complement clauses, their subjects and objects),
    rather than to a relative clause or a prepositional phrase inside it?"""
    current = token
    for _ in range(12):
        if current.i == verb.i:
            return True
        if current.dep_ not in _STATEMENT_DEPS or current.head == current:
            return False
        current = current.head
    return False


def states_accusation(event: Token, verb: Token, doer: Token | None) -> bool:
    """Is the violence at ``event`` something the speaker of ``verb`` charges its doer with?

    Not when the attribution comes after the story ("..., police said": it sources the report), nor
    when the act is told in a relative clause or a prepositional adjunct of the statement ("said Sudan
    must return a helicopter that was captured"), nor when a pronoun doer is the speaker itself
    ("the militants said they attacked": telling one's own act claims it), nor when the doer is the
    speaker's own ("le ministère assure que ses forces ont frappé", "said its troops shelled")."""
    if verb.i > event.i or not in_statement(event, verb):
        return False
    if doer is None:
        return True
    if any("Yes" in c.morph.get("Poss", []) for c in doer.children if c.i < doer.i):
        return False
    return doer.pos_ != "PRON" or doer.lower_ == "it"


_AIM_DEPS = frozenset({"advcl", "xcomp", "pcomp", "pobj", "prep", "acl", "obl", "mark"})


def drop_protest_aims(mentions: list[EventMention], sent: Span) -> list[EventMention]:
    """ "staged demonstrations to demand reforms", "a hunger strike to demand his release": the demand
    is the aim of the protest (CAMEO 14x codes it), not a second event."""
    protests = {m.trigger_token for m in mentions if m.cameo[:2] == "14"}
    if not protests:
        return mentions
    doc = sent.doc
    carriers = protests | {doc[i].head.i for i in protests}
    kept = []
    for m in mentions:
        token = doc[m.trigger_token]
        if m.cameo[:2] == "10" and token.dep_ in _AIM_DEPS:
            chain = [token.head, token.head.head, token.head.head.head]
            if any(t.i in carriers for t in chain):
                continue
        kept.append(m)
    return kept


_UNREAL_ROOTS = frozenset({"12", "13"})  # reject, threaten: their object is not something that happened


def drop_unreal_contents(mentions: list[EventMention], sent: Span) -> list[EventMention]:
    """ "rejected an invitation to attend the summit", "refused a plan for deploying troops": what is
    rejected or threatened is only proposed, so an event named inside that object is no fact."""
    doc = sent.doc
    spans = [
        (c.left_edge.i, c.right_edge.i)
        for m in mentions
        if m.cameo[:2] in _UNREAL_ROOTS and m.kind == "verb"
        for c in doc[m.trigger_token].children
        if c.dep_ in {"dobj", "obj"}
    ]
    if not spans:
        return mentions
    return [m for m in mentions if not any(a <= m.trigger_token <= b for a, b in spans)]
