"""Events read off what a speaker says about another party, rather than off an event verb.

* evaluation: "X a affirmé que l'Alliance était en état de mort cérébrale", "Y said Z was a dangerous
  dictator" → X criticizes (111) or praises (051) the subject of the complement;
* obligation: "Russia said Sudan must return the helicopter" → Russia demands (10x) from Sudan; the
  complement act (the return) is the demand's content, so its own mentions are dropped by the caller.

Both are :class:`~veille.annotate.events.EventMention` of the speech verb, sourced by its subject.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from veille.annotate.doc_cache import token_table
from veille.annotate.event_lexicon import Conditions, Frame, norm
from veille.annotate.event_match import is_agentive, local_tokens
from veille.annotate.event_modality import Modality, analyse, negation_cue

if TYPE_CHECKING:
    from veille.annotate.events import EventCoder, EventMention

_MAX_SOURCES = 4
_NO_CONDITIONS = Conditions()


def statement_mentions(coder: EventCoder, sent: Span) -> tuple[list[EventMention], set[int]]:
    """Evaluations and obligations of the sentence, and the complement clauses an obligation absorbs."""
    lex, syntax = coder.lex, coder.syntax
    ev = lex.evaluation
    singles = ev.speech_verbs.singles | lex.report_verbs.singles
    doc = sent.doc
    table = token_table(doc)
    out: list[EventMention] = []
    absorbed: set[int] = set()
    for i in range(sent.start, sent.end):
        # Filtered on the token arrays: a Token is built only for a speech verb.
        if table.pos[i] != "VERB" or (
            table.lemmas[i].lower() not in singles and table.lowers[i] not in singles
        ):
            continue
        token = doc[i]
        for comp in token.children:
            if comp.dep_ != "ccomp":
                continue
            found = _reading(coder, token, comp)
            if found is None:
                continue
            code, kind = found
            targets = [t for t in syntax.surface_subjects(comp) if is_agentive(t, lex)]
            sources = syntax.subjects(token)
            if not targets or not sources:
                continue
            mod = analyse(token, governor=None, lex=lex, syntax=syntax, quotes=coder.quotes)
            if kind != "obligation" and negation_cue(comp, lex, syntax):
                mod = Modality(True, mod.modality, (*mod.cues, "neg:complement"))
            if kind == "obligation":
                absorbed.add(comp.i)
            frame = Frame(
                id=f"{lex.lang}.{kind}",
                kind="verb",
                trigger=(norm(token.lemma_),),
                code=code,
                source=("subj",),
                target=("ccomp",),
                when=_NO_CONDITIONS,
            )
            clause_head = syntax.clause_head(token)
            mention_kind = "report" if kind == "obligation" else "evaluation"
            for source in sources[:_MAX_SOURCES]:
                out.append(
                    coder.mention_of(
                        token,
                        frame,
                        code,
                        mention_kind,
                        source,
                        targets[0],
                        "subj",
                        "ccomp",
                        mod,
                        sent,
                        clause_head,
                    )
                )
    return out, absorbed


def _reading(coder: EventCoder, verb: Token, comp: Token) -> tuple[str, str] | None:
    """(code, kind) of a speech verb's complement: an evaluation or an obligation, or None."""
    ev = coder.lex.evaluation
    speech = ev.speech_verbs.contains(verb)
    if speech:
        local = local_tokens(comp)
        if ev.negative.any_in(local):
            return ev.negative_code, "evaluation.negative"
        if ev.positive.any_in(local):
            return ev.positive_code, "evaluation.positive"
    modals = ev.obligation_modals
    obliged = modals and any(c.dep_ == "aux" and norm(c.text) in modals for c in comp.children)
    if obliged and not negation_cue(comp, coder.lex, coder.syntax):
        return ev.obligation_code, "obligation"
    return None
