"""Negation and modality of a predicate: is it denied, conditional, intended, or someone's report?

The cues are linguistic only (``ne … pas``, the conditional mood "aurait", "va envoyer", a complement
of "a annoncé que", "selon X", quotation marks); whether an event sits inside a *claim* another part
of veille judged unverified or denied is decided later, in :mod:`veille.interpret.events`.
The scope of a predicate is the predicate itself, the light verb of a nominal predicate ("n'a pas
effectué de visite"), and the verbs that control it ("ne va pas envoyer").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Token

from veille.annotate.event_lexicon import Lexicon, norm
from veille.annotate.event_syntax import Syntax

_OPEN_QUOTES = "«“„‹"
_CLOSE_QUOTES = "»”‟›"
_MARKS = re.compile("[" + re.escape(_OPEN_QUOTES + _CLOSE_QUOTES) + '"\\n]')
_MODALS_COND = frozenset({"would", "could", "might", "may", "should"})
_MODALS_FUT = frozenset({"will", "shall", "'ll", "wo"})
_FUTURE = _MODALS_FUT | {"would"}  # "would" is the future of reported speech ("said it would leave")
_PASSIVE_DEPS = frozenset({"auxpass", "nsubjpass", "aux:pass", "nsubj:pass"})
_AUX_DEPS = frozenset({"aux", "aux:tense", "aux:pass", "auxpass", "cop"})
_MAX_UP = 12


@dataclass(frozen=True)
class Modality:
    negated: bool
    modality: str  # asserted | reported | conditional | intended
    cues: tuple[str, ...]


def scope(pred: Token, governor: Token | None, syntax: Syntax) -> list[Token]:
    """The predicate, its light verb, and the verbs controlling them (bounded climb)."""
    out = [pred]
    if governor is not None:
        out.append(governor)
    current = out[-1]
    for _ in range(_MAX_UP):
        if current.dep_ in syntax.s.control or (
            current.dep_ in {"advcl", "acl", "obl:arg"}
            and syntax.ud
            and "Inf" in current.morph.get("VerbForm", [])
        ):
            if current.head == current:
                break
            current = current.head
            out.append(current)
        else:
            break
    return out


def _with_aux(token: Token) -> list[Token]:
    return [token, *(c for c in token.children if c.dep_ in _AUX_DEPS)]


_NO_DETERMINERS = frozenset({"aucun", "aucune", "nul", "nulle"})


def negation_cue(token: Token, lex: Lexicon, syntax: Syntax) -> str | None:
    children = list(token.children)
    if syntax.ud:
        particles = [
            c
            for c in children
            if norm(c.text) in lex.negation_particles or "Neg" in c.morph.get("Polarity", [])
        ]
        words = [c for c in children if norm(c.lemma_) in lex.negation or norm(c.text) in lex.negation]
        dets = [c for c in children if c.dep_ == "det" and norm(c.lemma_) in _NO_DETERMINERS]
        if particles and not words:
            # "Nous ne signerons aucun accord": the negative word is the determiner of an argument.
            words = [
                d
                for c in children
                if c.dep_ in {"obj", "nsubj", "nsubj:pass", "obl:arg"}
                for d in c.children
                if d.dep_ == "det" and norm(d.lemma_) in _NO_DETERMINERS
            ]
        if particles and (words or len(particles) > 1):
            return " ".join(t.text for t in sorted({*particles, *words}, key=lambda t: t.i))
        return dets[0].text if dets else None
    for child in children:
        if child.dep_ == "neg" or (
            child.dep_ in {"advmod", "det", "preconj"} and norm(child.text) in lex.negation
        ):
            return child.text
    return None


def analyse(
    pred: Token,
    *,
    governor: Token | None,
    lex: Lexicon,
    syntax: Syntax,
    quotes: QuoteIndex,
    report_scope: Token | None = None,
) -> Modality:
    """Negation, modality and the words that show them, for one predicate."""
    tokens = scope(pred, governor, syntax)
    cues: list[str] = []
    negated = False
    for token in tokens:
        cue = negation_cue(token, lex, syntax)
        if cue:
            negated = True
            cues.append(f"neg:{cue}")
    if pred.pos_ in {"NOUN", "PROPN"}:
        cue = negation_cue(pred, lex, syntax)
        if cue and not negated:
            negated = True
            cues.append(f"neg:{cue}")
    conditional = intended = False
    for position, token in enumerate(tokens):
        for part in _with_aux(token):
            if "Cnd" in part.morph.get("Mood", []) or (part.tag_ == "MD" and norm(part.text) in _MODALS_COND):
                conditional = True
                cues.append(f"cond:{part.text}")
            if "Fut" in part.morph.get("Tense", []) or (part.tag_ == "MD" and norm(part.text) in _MODALS_FUT):
                intended = True
                cues.append(f"intent:{part.text}")
        for child in token.children:
            if child.dep_ == "advmod" and norm(child.text) in lex.conditional_words:
                conditional = True
                cues.append(f"cond:{child.text}")
        if position > 0 and lex.intent_governors.contains(token):
            intended = True
            cues.append(f"intent:{token.text}")
    reported_cue = reported(report_scope or tokens[-1], lex=lex, syntax=syntax) or quoted(pred, quotes)
    if reported_cue:
        cues.append(f"report:{reported_cue}")
    modality = (
        "conditional"
        if conditional
        else "intended"
        if intended
        else "reported"
        if reported_cue
        else "asserted"
    )
    return Modality(negated=negated, modality=modality, cues=tuple(dict.fromkeys(cues)))


def stated_intent(code: str, mod: Modality, lex: Lexicon, pred: Token) -> tuple[str, Modality]:
    """ "X said it will withdraw its troops": a future act someone announces is coded as the statement
    of intent that did happen (CAMEO 03x for cooperation, 13x for conflict), not as the act itself.
    Only the English future auxiliaries count ("will", "would" in reported speech), never
    "could"/"might" nor intention verbs ("plans to visit"), and only in a report. A passive ("hoped they
    would be indicted") tells what others will undergo, not what a party announces it will do."""
    if mod.negated or mod.modality not in {"intended", "conditional"}:
        return code, mod
    if any(c.dep_ in _PASSIVE_DEPS for c in pred.children):
        return code, mod
    if not any(c.startswith("report:") for c in mod.cues):
        return code, mod
    words = {norm(c.split(":", 1)[1]) for c in mod.cues if c.startswith(("intent:", "cond:"))}
    if not words & _FUTURE or words & (_MODALS_COND - _FUTURE):
        return code, mod
    stated = next((c for p, c in lex.stated_intent if code.startswith(p)), None)
    if stated is None:
        return code, mod
    return stated, Modality(False, "reported", (*mod.cues, f"stated-intent:{code}"))


def reported(token: Token, *, lex: Lexicon, syntax: Syntax) -> str | None:
    """The words that make ``token``'s clause someone's report ("a annoncé que", "selon X"), if any."""
    found = report_source(token, lex=lex, syntax=syntax)
    return found[0] if found else None


def report_source(token: Token, *, lex: Lexicon, syntax: Syntax) -> tuple[str, Token | None] | None:
    """The cue of a report around ``token``'s clause, and the reporting verb when there is one."""
    current = syntax.clause_head(token)
    for _ in range(_MAX_UP):
        for prep, noun in syntax.preps(current):
            if prep in lex.report_preps:
                return f"{prep} {noun.text}", None
        head = current.head
        if head == current:
            return None
        if current.dep_ in {"advcl", "acl"} and any(
            norm(c.text) in lex.contrast_marks
            for c in current.children
            if c.dep_ in {"mark", "advmod", "fixed"}
        ):
            return None
        # "Il est utile de rappeler que ...": a reporting verb without a speaker is the author's voice.
        speaker = syntax.surface_subjects(head) or syntax.subjects(head)
        if current.dep_ in {"ccomp", "parataxis"} and lex.report_verbs.contains(head) and speaker:
            return head.text, head
        current = syntax.clause_head(head)
    return None


@dataclass(frozen=True)
class QuoteIndex:
    """Positions of quotation marks and line breaks of a text, to answer "is this word quoted?" in
    logarithmic time (a 2,000-token paragraph must not cost a scan per predicate)."""

    opens: tuple[int, ...]
    closes: tuple[int, ...]
    straight: tuple[int, ...]
    breaks: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> QuoteIndex:
        opens, closes, straight, breaks = [], [], [], []
        # A regular expression visits only the marks: a character loop in Python costs ~1 ms an article.
        for match in _MARKS.finditer(text):
            i, char = match.start(), match.group()
            if char in _OPEN_QUOTES:
                opens.append(i)
            elif char in _CLOSE_QUOTES:
                closes.append(i)
            elif char == '"':
                straight.append(i)
            elif char == "\n":
                breaks.append(i)
        return cls(tuple(opens), tuple(closes), tuple(straight), tuple(breaks))

    def inside(self, position: int) -> bool:
        """Within the paragraph of ``position``, more quotes opened than closed before it."""
        k = bisect_left(self.breaks, position)
        start = self.breaks[k - 1] + 1 if k else 0

        def count(marks: tuple[int, ...]) -> int:
            return bisect_left(marks, position) - bisect_left(marks, start)

        return count(self.opens) > count(self.closes) or count(self.straight) % 2 == 1


def quoted(token: Token, quotes: QuoteIndex) -> str | None:
    """Inside quotation marks of its paragraph: the words are the speaker's, so the event is reported."""
    return "quote" if quotes.inside(token.idx) else None
