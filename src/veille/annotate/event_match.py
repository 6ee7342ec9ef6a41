"""Matching event frames against a parsed sentence: which reading applies, and where its arguments are.

Two passes: every token whose lemma starts a frame gets the frames whose conditions hold (here);
then governors of a complement absorb or hand over the complement's event
(:mod:`.event_complement`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from veille.annotate.doc_cache import token_table
from veille.annotate.event_lexicon import Frame, Lexicon, WordSet, norm, token_keys
from veille.annotate.event_syntax import Syntax

_ENTITY_LABELS = frozenset({"PER", "PERSON", "ORG", "GPE", "LOC", "NORP", "MISC"})
_LOCAL_EXCLUDED = frozenset({"ccomp", "advcl", "acl:relcl", "relcl", "parataxis", "conj", "csubj"})
_MAX_LOCAL = 40
_FALLBACK_WINDOW = 15
_TRIGGER_POS = frozenset({"VERB", "AUX", "ADJ", "NOUN", "PROPN"})
# Too common to be looked for below the predicate: "de"/"of" deeper down is any noun's complement.
_NO_FALLBACK = frozenset({"de", "of", "entre", "between"})


def local_tokens(token: Token) -> list[Token]:
    """The predicate's own phrase (its non-clausal dependents), bounded: where `mentions` looks."""
    out: list[Token] = []
    stack = [token]
    while stack and len(out) < _MAX_LOCAL:
        node = stack.pop()
        out.append(node)
        stack.extend(c for c in node.children if c.dep_ not in _LOCAL_EXCLUDED)
    return out


@dataclass
class Roles:
    """Argument lookups for one predicate token, cached (a frame list asks the same roles often)."""

    token: Token
    kind: str
    lex: Lexicon
    syntax: Syntax
    _cache: dict[str, list[Token]] = field(default_factory=dict)
    _preps: dict[int, list[tuple[str, Token]]] = field(default_factory=dict)
    _gov: tuple[Token, str] | bool | None = False

    def preps(self, head: Token) -> list[tuple[str, Token]]:
        found = self._preps.get(head.i)
        if found is None:
            found = self._preps[head.i] = list(self.syntax.preps(head))
        return found

    def governor(self) -> tuple[Token, str] | None:
        if self._gov is False:
            self._gov = self.syntax.noun_governor(self.token) if self.kind == "noun" else None
        return self._gov  # type: ignore[return-value]

    def light_verb(self) -> Token | None:
        """The verb carrying a nominal predicate as its object ("effectuer une visite", "procéder à")."""
        gov = self.governor()
        if gov is None:
            return None
        light = self.lex.light_verbs.contains(gov[0])
        # "l'UE envisage de nouvelles sanctions", "plans new sanctions": who intends the act does it.
        intent = self.lex.intent_governors.contains(gov[0])
        if not (light or intent):
            return None
        if gov[1] == "obj":
            return gov[0]
        head = self.syntax.phrase_head(self.token)
        cases = {norm(c.lemma_) for c in head.children if c.dep_ == "case"}
        if head.dep_ == "obl:arg" and ("à" in cases if light else "de" in cases):
            return gov[0]
        return None

    def find(self, role: str) -> list[Token]:
        if role not in self._cache:
            # A date is when, never who: "the 11 September attacks", "une tournée en novembre".
            self._cache[role] = [x for x in self._find(role) if not self._bare_date(x)]
        return self._cache[role]

    def _find(self, role: str) -> list[Token]:
        t, syn = self.token, self.syntax
        if self.kind == "verb":
            if role == "subj":
                return [syn.semantic_head(x) for x in syn.subjects(t)]
            if role == "obj":
                return self._objects()
            if role == "iobj":
                return syn.indirect_objects(t)
            if role == "agent":
                return syn.agents(t)
            if role in {"amod", "poss", "governor", "victim", "complement", "clause_subj"}:
                return []
            return self._prep(t, role)
        head = syn.phrase_head(t)
        if role == "governor":
            light = self.light_verb()
            return syn.subjects(light) if light is not None else []
        if role == "clause_subj":
            # "during a visit to Beirut", "Au terme de sa visite à Kinshasa, le pape ...": an event named
            # in an adjunct is the doer's of the clause around it.
            gov = self.governor()
            if gov is None or gov[1] != "obl" or self.lex.victim_verbs.contains(gov[0]):
                return []
            clause = syn.clause_head(gov[0])
            return syn.subjects(clause) if clause.pos_ in {"VERB", "AUX"} else []
        if role == "victim":
            gov = self.governor()
            if gov is not None and self.lex.victim_verbs.contains(gov[0]):
                return syn.surface_subjects(gov[0])
            return []
        if role == "amod":
            return syn.modifiers(t) + (syn.modifiers(head) if head != t else [])
        if role == "poss":
            return syn.possessors(t)
        if role == "agent":
            return syn.participle_agents(t)
        if role in {"subj", "obj", "iobj", "complement"}:
            return []
        found = self._prep(t, role) or (self._prep(head, role) if head != t else [])
        light = self.light_verb()
        if not found and light is not None:
            # "rendre visite à X", "carry out strikes on X": the light verb holds the noun's arguments.
            found = [n for n in self._prep(light, role) if n != t and n != head]
        return found

    def _bare_date(self, noun: Token) -> bool:
        return self.lex.time_words.contains(noun) and not any(
            c.pos_ in {"NOUN", "PROPN"} and not self.lex.time_words.contains(c) for c in noun.children
        )

    def _prep(self, head: Token, role: str) -> list[Token]:
        # Dates are left out here too, so that a date does not stop the search one level down (unless
        # the parser hung the name on it: "met with President Assad Tuesday").
        nouns = [noun for prep, noun in self.preps(head) if prep == role and not self._bare_date(noun)]
        if not nouns and head is self.token and role not in _NO_FALLBACK:
            # PP attachment is a coin toss for the parser: "received assurances from X", "la visite de
            # Modi à Washington" hang the phrase on the object (or the noun's complement) as often as
            # on the predicate. Look one or two levels down, nearest first.
            inner = self._objects()[:1] if self.kind == "verb" else []
            inner += [n for _, n in self.preps(head)]
            # A bare time noun may carry the phrase: "s'est rendu mercredi en Nouvelle-Calédonie".
            inner += [
                c
                for c in head.children
                if c.dep_ in {"obl:mod", "npadvmod"} and self.lex.time_words.contains(c)
            ]
            for noun in inner:
                for sub in [noun, *noun.children]:
                    nouns = [n for prep, n in self.preps(sub) if prep == role and n != head]
                    if nouns:
                        return nouns
        if role in {"entre", "between"} and nouns:
            return self.syntax.conjuncts(nouns[0])
        return nouns

    def _objects(self) -> list[Token]:
        t, syn, lex = self.token, self.syntax, self.lex
        objs = [syn.semantic_head(o) for o in syn.objects(t) if not lex.time_words.contains(o)]
        if objs or not syn.ud:
            return objs
        if syn.is_passive(t):
            return []
        # A partitive object comes out as an oblique: "envoyer de l'aide", "livré des armes".
        objs = [n for prep, n in syn.preps(t) if prep == "de" and n.dep_ == "obl:arg"]
        objs += [
            c for c in t.children if c.dep_ == "obl:arg" and not any(g.dep_ == "case" for g in c.children)
        ]
        if objs:
            return objs
        # The parser sometimes takes a date for the object ("a reçu ce lundi, ..., l'ambassadeur"): the
        # first bare noun phrase after the verb, in its clause, is then the object.
        sent_end = t.sent.end
        for cand in t.doc[t.i + 1 : min(sent_end, t.i + _FALLBACK_WINDOW)]:
            bare = cand.dep_ in {"obj", "appos"} and not any(c.dep_ == "case" for c in cand.children)
            nominal = cand.pos_ in {"NOUN", "PROPN"} and not lex.time_words.contains(cand)
            if nominal and bare and (syn.clause_head(cand) == t or t in cand.ancestors):
                return [cand]
            if cand.pos_ in {"VERB"} and cand.dep_ not in {"acl", "amod"}:
                break
        return []


def is_agentive(token: Token, lex: Lexicon) -> bool:
    """Can this phrase head be an actor (a name, a pronoun, a role noun, a named entity)?"""
    if token.pos_ in {"PROPN", "PRON"}:
        return True
    if token.ent_type_ in _ENTITY_LABELS:
        return True
    return lex.agents.contains(token)


def _any(tokens: Iterable[Token], words: WordSet) -> bool:
    return any(words.contains(t) for t in tokens)


def _names(heads: Iterable[Token], words: WordSet) -> bool:
    return any(words.names(t) for t in heads)


def frame_holds(frame: Frame, roles: Roles) -> bool:
    """Every condition of ``frame`` except the need for a complement (decided in the second pass)."""
    w, t, lex, syn = frame.when, roles.token, roles.lex, roles.syntax
    if w.lemma_in is not None and not w.lemma_in.contains(t):
        return False
    if w.reflexive is not None and syn.is_reflexive(t) != w.reflexive:
        return False
    if w.particle is not None and not (syn.particles(t) & w.particle):
        return False
    if w.not_particle is not None and syn.particles(t) & w.not_particle:
        return False
    if w.not_dep is not None and any(c.dep_ in w.not_dep for c in t.children):
        return False
    if w.obj_in is not None or w.obj_not_in is not None or w.obj_kind or w.no_obj:
        objs = roles.find("obj")
        if w.no_obj and objs:
            return False
        if w.obj_in is not None and not _names(objs, w.obj_in):
            return False
        if w.obj_not_in is not None and _names(objs, w.obj_not_in):
            return False
        if w.obj_kind == "agent" and not any(is_agentive(o, lex) for o in objs):
            return False
    if w.subj_in is not None or w.subj_not_in is not None or w.subj_kind:
        subjs = roles.find("subj") or (syn.surface_subjects(t) if roles.kind == "verb" else [])
        if w.subj_in is not None and not _names(subjs, w.subj_in):
            return False
        if w.subj_not_in is not None and _names(subjs, w.subj_not_in):
            return False
        if w.subj_kind == "agent" and not any(is_agentive(s, lex) for s in subjs):
            return False
    if w.mentions is not None or w.not_mentions is not None:
        local = local_tokens(t)
        gov = roles.governor()
        if gov is not None:
            local += local_tokens(gov[0])[:_MAX_LOCAL]
        if w.mentions is not None and not _any(local, w.mentions):
            return False
        if w.not_mentions is not None and _any(local, w.not_mentions):
            return False
    # The whole sentence, for settings the predicate's phrase does not show ("ran the mile to beat X").
    if w.not_in_sentence is not None and _any(t.sent, w.not_in_sentence):
        return False
    if w.gov_in is not None or w.gov_not_in is not None:
        govs = [g[0] for g in [roles.governor()] if g is not None]
        govs += [c for c in t.children if c.dep_ in {"acl", "amod"} and c.pos_ == "VERB"]
        if w.gov_in is not None and not _any(govs, w.gov_in):
            return False
        if w.gov_not_in is not None and _any(govs, w.gov_not_in):
            return False
    needed = [r for r in w.requires_any if r != "complement"]
    return not (needed and len(needed) == len(w.requires_any) and not any(roles.find(r) for r in needed))


@dataclass
class Candidate:
    token: Token
    frame: Frame
    roles: Roles
    code: str
    modality: str | None = None  # set when a governor hands its modality to its complement
    inherited_source: list[Token] = field(default_factory=list)
    inherited_target: tuple[str, list[Token]] | None = None  # (role, heads) of an absorbed complement
    dropped: bool = False


def trigger_frames(token: Token, lex: Lexicon) -> tuple[str, tuple[Frame, ...]] | None:
    """The frames a token may start, as a verb or as a nominal predicate."""
    if token.pos_ not in _TRIGGER_POS:
        return None
    keys = token_keys(token)
    if token.pos_ in {"VERB", "AUX", "ADJ"} or (token.pos_ == "NOUN" and _verb_like(token)):
        extra = [f"{k}r" for k in keys if not k.endswith(("r", "re"))] if lex.scheme == "ud" else []
        for key in (*keys, *extra):
            frames = lex.verbs.get(key)
            if frames:
                return "verb", frames
        if token.pos_ == "AUX" or (token.pos_ == "ADJ" and token.lemma_ not in lex.nouns):
            return None
    if token.pos_ in {"NOUN", "PROPN", "ADJ", "VERB"}:
        for key in keys:
            frames = lex.nouns.get(key)
            if frames:
                return "noun", frames
    return None


def _verb_like(token: Token) -> bool:
    """A noun the tagger got wrong: an English verb tag, or a French root with a subject and no copula
    ("Trump reproche aux Européens", tagged NOUN)."""
    if token.tag_.startswith("VB"):
        return True
    children = [c.dep_ for c in token.children]
    return token.dep_ == "ROOT" and "nsubj" in children and "cop" not in children


def _trigger_matches(frame: Frame, token: Token) -> bool:
    if len(frame.trigger) == 1:
        return True
    doc = token.doc
    end = token.i + len(frame.trigger)
    if end > len(doc):
        return False
    return all(frame.trigger[k] in token_keys(doc[token.i + k]) for k in range(1, len(frame.trigger)))


def first_pass(sent: Span, lex: Lexicon, syntax: Syntax) -> dict[int, list[Candidate]]:
    """Token index → the frames (in data order) whose conditions hold there."""
    found: dict[int, list[Candidate]] = {}
    keys = lex.trigger_keys
    doc = sent.doc
    table = token_table(doc)
    lemmas, lowers = table.lemmas, table.lowers
    for i in range(sent.start, sent.end):
        # Cheap filter before the full key computation (and before building a Token): most words
        # start no frame.
        lemma = lemmas[i].lower()
        if lemma not in keys and lowers[i] not in keys and lemma[:-1] not in keys:
            continue
        token = doc[i]
        hit = trigger_frames(token, lex)
        if hit is None:
            continue
        kind, frames = hit
        roles = Roles(token, kind, lex, syntax)
        holding = [
            Candidate(token, f, roles, f.code)
            for f in frames
            if _trigger_matches(f, token) and frame_holds(f, roles)
        ]
        if holding:
            found[token.i] = holding
    return found


def lemma_of(token: Token) -> str:
    return norm(token.lemma_)
