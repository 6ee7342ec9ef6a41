"""``veille_events``: event mentions read off the dependency parse, coded in CAMEO.

Writes ``doc._.veille_event_mentions``: a tuple of :class:`EventMention`, one per (predicate, source,
target) — purely linguistic: the trigger, the frame that matched (``data/events/patterns_<lang>.yaml``),
the character spans of its source and target phrases, negation and modality cues, the sentence and
clause it sits in. Turning spans into coded actors, dates and places is
:func:`veille.interpret.events.code_events`'s job.

Verbal predicates take their arguments from subject/object/obliques (passives, control, coordination
and relative pronouns resolved by :class:`~veille.annotate.event_syntax.Syntax`); nominal predicates
("la visite de Pompeo à Minsk", "un assassinat mené par ...") from their prepositional dependents,
possessives, demonym adjectives, the light verb that carries them ("a effectué une visite") and the
verb whose subject undergoes them ("est tombé ... dans un assassinat"). A statement whose complement
evaluates an actor harshly ("a affirmé que l'Alliance était en état de mort cérébrale") is a
criticism (CAMEO 111) by the speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import permutations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from veille.annotate.doc_cache import doc_text
from veille.annotate.event_complement import second_pass
from veille.annotate.event_filters import drop_protest_aims, drop_unreal_contents, states_accusation
from veille.annotate.event_lexicon import Conditions, Frame, Lexicon, load_lexicon, norm
from veille.annotate.event_match import Candidate, first_pass, is_agentive
from veille.annotate.event_modality import (
    Modality,
    QuoteIndex,
    analyse,
    report_source,
    scope,
    stated_intent,
)
from veille.annotate.event_scheme import across_paragraphs, span_bounds
from veille.annotate.event_statements import statement_mentions
from veille.annotate.event_syntax import Syntax

if not Doc.has_extension("veille_event_mentions"):
    Doc.set_extension("veille_event_mentions", default=())

_MAX_ARGS = 4  # sources x targets per predicate (coordinations of names)
_CLAUSE_EXCLUDED = frozenset({"ccomp", "advcl", "acl:relcl", "relcl", "parataxis", "conj", "csubj", "acl"})
_MAX_CLAUSE = 80
_PAIR_WORDS = frozenset({"deux", "two", "both"})
_VIOLENT = frozenset({"17", "18", "19", "20"})  # material conflict roots
_ACCUSE = "112"


@dataclass(frozen=True, slots=True)
class ArgSpan:
    """A source or target phrase: character offsets into the Doc text, and its head word."""

    start: int
    end: int
    text: str
    head_start: int
    head_end: int
    role: str  # the frame role that found it: subj, obj, à, governor, ...
    pronoun: bool = False


@dataclass(frozen=True, slots=True)
class EventMention:
    """One coded predicate occurrence with its arguments (character offsets into the Doc text)."""

    trigger_start: int
    trigger_end: int
    trigger_token: int
    lemma: str
    pattern_id: str
    cameo: str
    kind: str  # verb | noun | evaluation | report
    source: ArgSpan | None
    target: ArgSpan | None
    negated: bool
    modality: str  # asserted | reported | conditional | intended
    cues: tuple[str, ...]
    sentence_start: int
    sentence_end: int
    clause_start: int
    clause_end: int
    clause_head: int
    target_place: bool = False
    reciprocal: bool = False
    # Phrases found by the frame's other roles, tried in order when the first names no actor.
    source_alternatives: tuple[ArgSpan, ...] = ()
    target_alternatives: tuple[ArgSpan, ...] = ()
    # The source is "les deux hommes": the interpreter pairs the two actors named just before.
    pair_anaphor: bool = False


class EventCoder:
    """The ``veille_events`` component: patterns compiled once per language, then matched per Doc."""

    def __init__(self, nlp: Language, name: str, *, max_sentence_tokens: int = 3000) -> None:
        self.name = name
        self.lex: Lexicon = load_lexicon(nlp.lang or "en")
        self.syntax = Syntax(self.lex.scheme)
        self.max_sentence_tokens = max_sentence_tokens
        self.quotes = QuoteIndex.of("")  # quotation marks of the Doc being annotated

    def __call__(self, doc: Doc) -> Doc:
        mentions: list[EventMention] = []
        self.quotes = QuoteIndex.of(doc_text(doc))
        if doc.has_annotation("DEP"):
            for sent in doc.sents:
                if len(sent) > self.max_sentence_tokens:
                    # A "sentence" this long is a list or a parser failure: its arcs are not worth reading.
                    continue
                mentions.extend(self.sentence_mentions(sent))
        doc._.veille_event_mentions = tuple(mentions)
        return doc

    def sentence_mentions(self, sent: Span) -> list[EventMention]:
        found = first_pass(sent, self.lex, self.syntax)
        out: list[EventMention] = []
        taken: set[int] = set()
        for cand in sorted(second_pass(found, self.syntax), key=lambda c: c.token.i):
            out.extend(self._mentions(cand, sent))
            taken.add(cand.token.i)
        said, absorbed = statement_mentions(self, sent)
        if absorbed:
            # "said Peru must return the ship": the return is the demand's content, not an event.
            out = [m for m in out if m.clause_head not in absorbed and m.trigger_token not in absorbed]
        out.extend(m for m in said if m.trigger_token not in taken)
        return drop_unreal_contents(drop_protest_aims(out, sent), sent)

    # -- frames → mentions -------------------------------------------------------------------------

    def _role_options(
        self, cand: Candidate, roles: tuple[str, ...], exclude: set[int]
    ) -> list[tuple[str, list[Token]]]:
        """Every role of the frame that finds a phrase, in the data's order of preference."""
        out: list[tuple[str, list[Token]]] = []
        for role in roles:
            heads = [h for h in cand.roles.find(role) if h.i not in exclude and h.i != cand.token.i]
            if heads:
                out.append((role, heads))
        return out

    def _mentions(self, cand: Candidate, sent: Span) -> list[EventMention]:
        frame, token = cand.frame, cand.token
        src_options = self._role_options(cand, frame.source, set())
        if not src_options and cand.inherited_source:
            src_options = [("subj", cand.inherited_source)]
        src_role, sources = src_options[0] if src_options else ("", [])
        if src_role in {"entre", "between"}:
            sources = sources[:1]
        elif src_role in {"subj", "governor", "agent", "de", "of", "by", "par"}:
            sources = [c for s in sources for c in self.syntax.conjuncts(s)][:_MAX_ARGS]
        else:
            sources = sources[:1]
        tgt_options = self._role_options(cand, frame.target, {s.i for s in sources})
        if not tgt_options and cand.inherited_target is not None:
            tgt_options = [cand.inherited_target]
        if frame.reciprocal:
            # "deepen a partnership", "discuss the crisis": for a joint act only a party is a target.
            tgt_options = [(r, [h for h in hs if is_agentive(h, self.lex)]) for r, hs in tgt_options]
            tgt_options = [(r, hs) for r, hs in tgt_options if hs]
        tgt_role, targets = tgt_options[0] if tgt_options else ("", [])
        if tgt_role in {"entre", "between"} and not sources:
            # "les négociations entre Washington et Téhéran": the two sides are each other's party.
            src_role, sources, targets = tgt_role, targets[:1], targets[1:2]
        if tgt_role in {"entre", "between"} and src_role in {"entre", "between"}:
            targets = targets[1:2] if len(targets) > 1 else targets
        else:
            targets = [c for t in targets for c in self.syntax.conjuncts(t)][:_MAX_ARGS]
            targets = [t for t in targets if t.i not in {s.i for s in sources}]
        pairs: list[tuple[Token | None, Token | None, str, str]] = []
        if frame.reciprocal and not targets and len(sources) >= 2:
            pairs = [(a, b, src_role, src_role) for a, b in permutations(sources, 2)]
        elif frame.reciprocal and src_role in {"entre", "between"} and sources and targets:
            pairs = [
                (sources[0], targets[0], src_role, tgt_role),
                (targets[0], sources[0], tgt_role, src_role),
            ]
        elif sources and targets:
            pairs = [(s, t, src_role, tgt_role) for s in sources for t in targets]
        elif sources or targets:
            pairs = [(s, None, src_role, "") for s in sources] + [(None, t, "", tgt_role) for t in targets]
        if not pairs:
            return []
        # Later roles are kept as fall-backs: the phrase a role finds may name no actor ("exercice
        # militaire"), and only the interpreter knows which phrases are actors.
        used = {t.i for t in sources} | {t.i for t in targets}
        src_alt = tuple(
            a
            for role, heads in src_options[1:]
            for a in [self._arg(heads[0], role)]
            if a and heads[0].i not in used
        )
        tgt_alt = tuple(
            a
            for role, heads in tgt_options[1:]
            for a in [self._arg(heads[0], role)]
            if a and heads[0].i not in used
        )
        governor = cand.roles.governor()
        gov_token = governor[0] if governor is not None and cand.roles.kind == "noun" else None
        mod = analyse(token, governor=gov_token, lex=self.lex, syntax=self.syntax, quotes=self.quotes)
        if cand.modality and mod.modality in {"asserted", "reported"}:
            mod = Modality(mod.negated, cand.modality, (*mod.cues, f"governor:{cand.modality}"))
        code = cand.code
        if mod.negated and mod.modality in {"intended", "conditional"}:
            rejected = next((c for p, c in self.lex.negated_intent if code.startswith(p)), None)
            if rejected is not None:
                # "will not provide support": CAMEO codes the refusal (12x), which did happen.
                code, mod = rejected, Modality(False, mod.modality, (*mod.cues, f"refusal:{cand.code}"))
        code, mod = stated_intent(code, mod, self.lex, token)
        clause_head = self.syntax.clause_head(gov_token or token)
        accusations = (
            self._accusations(token, gov_token, sources, sent)
            if code[:2] in _VIOLENT and not mod.negated
            else []
        )
        return accusations + [
            replace(
                self.mention_of(token, frame, code, cand.roles.kind, s, t, sr, tr, mod, sent, clause_head),
                source_alternatives=src_alt if s is not None or not t else (),
                target_alternatives=tgt_alt,
            )
            for s, t, sr, tr in pairs
        ]

    def _accusations(
        self, token: Token, governor: Token | None, doers: list[Token], sent: Span
    ) -> list[EventMention]:
        """ "Israel said a mortar was fired at it from Gaza": a party reporting violence accuses its
        author (CAMEO 112); the interpreter keeps it only when the reporter is an actor, not a medium."""
        found = report_source(scope(token, governor, self.syntax)[-1], lex=self.lex, syntax=self.syntax)
        if found is None or found[1] is None:
            return []
        verb = found[1]
        doer = doers[0] if doers else None
        if not states_accusation(governor or token, verb, doer):
            return []
        reporters = self.syntax.subjects(verb) or self.syntax.surface_subjects(verb)
        if not reporters:
            return []
        mod = analyse(verb, governor=None, lex=self.lex, syntax=self.syntax, quotes=self.quotes)
        frame = Frame(
            id=f"{self.lex.lang}.report.accuse",
            kind="verb",
            trigger=(norm(verb.lemma_),),
            code=_ACCUSE,
            source=("subj",),
            target=("doer",),
            when=_NO_CONDITIONS,
        )
        return [
            self.mention_of(
                verb,
                frame,
                _ACCUSE,
                "report",
                reporters[0],
                doer,
                "subj",
                "doer",
                mod,
                sent,
                self.syntax.clause_head(verb),
            )
        ]

    def _arg(self, head: Token | None, role: str) -> ArgSpan | None:
        if head is None:
            return None
        start, end = span_bounds(head)
        doc = head.doc
        span = doc[start:end]
        pronoun = head.pos_ == "PRON" or (head.pos_ == "DET" and "Yes" in head.morph.get("Poss", []))
        return ArgSpan(
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            head_start=head.idx,
            head_end=head.idx + len(head.text),
            role=role,
            pronoun=pronoun,
        )

    def _clause_bounds(self, head: Token) -> tuple[int, int]:
        tokens = [head]
        stack = [c for c in head.children if c.dep_ not in _CLAUSE_EXCLUDED]
        while stack and len(tokens) < _MAX_CLAUSE:
            node = stack.pop()
            tokens.append(node)
            stack.extend(c for c in node.children if c.dep_ not in _CLAUSE_EXCLUDED)
        first = min(tokens, key=lambda t: t.i)
        last = max(tokens, key=lambda t: t.i)
        return first.idx, last.idx + len(last.text)

    def mention_of(
        self,
        token: Token,
        frame: Frame,
        code: str,
        kind: str,
        source: Token | None,
        target: Token | None,
        src_role: str,
        tgt_role: str,
        mod: Modality,
        sent: Span,
        clause_head: Token,
    ) -> EventMention:
        clause_start, clause_end = self._clause_bounds(clause_head)
        # A party the parser found in another paragraph is no party of this event.
        if source is not None and across_paragraphs(token, source):
            source = None
        if target is not None and across_paragraphs(token, target):
            target = None
        return EventMention(
            trigger_start=token.idx,
            trigger_end=token.idx + len(token.text),
            trigger_token=token.i,
            lemma=" ".join(frame.trigger),
            pattern_id=frame.id,
            cameo=code,
            kind=kind,
            source=self._arg(source, src_role),
            target=self._arg(target, tgt_role),
            negated=mod.negated,
            modality=mod.modality,
            cues=mod.cues,
            sentence_start=sent.start_char,
            sentence_end=sent.end_char,
            clause_start=clause_start,
            clause_end=clause_end,
            clause_head=clause_head.i,
            target_place=frame.target_place,
            reciprocal=frame.reciprocal,
            pair_anaphor=frame.reciprocal and target is None and source is not None and self._is_pair(source),
        )

    def _is_pair(self, token: Token) -> bool:
        """ "les deux hommes", "both leaders": a plural phrase standing for the two actors just named."""
        if not self.lex.pair_anaphors.contains(token):
            return False
        return any(norm(c.text) in _PAIR_WORDS for c in token.children) or norm(token.text) in _PAIR_WORDS


_NO_CONDITIONS = Conditions()


@Language.factory("veille_events", default_config={"max_sentence_tokens": 3000})
def make_event_coder(nlp: Language, name: str, max_sentence_tokens: int) -> EventCoder:
    return EventCoder(nlp, name, max_sentence_tokens=max_sentence_tokens)


__all__ = ["ArgSpan", "EventCoder", "EventMention", "make_event_coder"]
