"""Reading predicate arguments off a dependency parse, for the two label schemes veille meets.

French models use Universal Dependencies labels (``nsubj``, ``obj``, ``obl:arg`` with a ``case`` child,
``nsubj:pass``/``obl:agent``); the English model uses ClearNLP labels (``nsubj``, ``dobj``, ``prep`` →
``pobj``, ``nsubjpass``/``agent``). :class:`Syntax` hides the difference behind a few questions: who
is the subject (passive, control and coordination included), the object, the noun behind a
preposition, the governing verb of a noun. Every walk is bounded so that a 2,000-token "sentence"
costs linear time.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from veille.annotate.event_lexicon import norm
from veille.annotate.event_repairs import (
    after_source_marker,
    detached_subject,
    left_conjunct,
    misparsed_acl_subject,
)
from veille.annotate.event_scheme import (
    CLEAR,
    CONTRACTED,
    IMPERSONAL,
    MAX_CONJ,
    MAX_UP,
    NOMINAL,
    PREPOSITION_ADVERBS,
    QUANTITIES,
    UD,
    VERBAL,
)


class Syntax:
    """Argument questions answered over one parse scheme (``ud`` or ``clear``)."""

    def __init__(self, scheme: str) -> None:
        self.ud = scheme != "clear"
        self.s = UD if self.ud else CLEAR

    # -- subjects and objects -------------------------------------------------------------------

    def is_passive(self, verb: Token) -> bool:
        if self.ud and self.is_reflexive(verb):
            return False  # "les troupes se sont retirées": être + se is the pronominal voice, not a passive
        return any(c.dep_ in self.s.passive_markers for c in verb.children)

    def surface_subjects(self, verb: Token) -> list[Token]:
        """Grammatical subjects, active or passive (who "est tombé", who "was killed")."""
        found = [c for c in verb.children if c.dep_ in self.s.subj or c.dep_ in self.s.subj_pass]
        if not found and self.ud:
            found = [
                c for c in verb.children if c.dep_ == "expl:subj" and norm(verb.lemma_) not in IMPERSONAL
            ]
        return [a for t in found if (a := self._antecedent(t, verb)) is not None]

    def subjects(self, verb: Token) -> list[Token]:
        """The doer: the agent of a passive, else the subject, inherited through control and coordination."""
        current = verb
        for _ in range(MAX_UP):
            if current != verb:
                # A controller's grammatical subject, passive or not ("Obama is scheduled to attend").
                found = self.surface_subjects(current)
                if found:
                    return found
            elif self.is_passive(current):
                return self.agents(current)
            found = [c for c in current.children if c.dep_ in self.s.subj]
            if not found and self.ud:
                found = [
                    c
                    for c in current.children
                    if c.dep_ == "expl:subj" and norm(current.lemma_) not in IMPERSONAL
                ]
            if found:
                return [a for t in found if (a := self._antecedent(t, current)) is not None]
            detached = detached_subject(current) or misparsed_acl_subject(current, ud=self.ud)
            if detached is not None:
                return [detached]
            head = current.head
            if head == current:
                return []
            # "ont accepté de déployer": the infinitive's subject is its controller's; "a reçu X et l'a
            # remercié": a coordinated verb shares the first one's subject.
            if current.dep_ in self.s.control or current.dep_ in {"conj", "acomp"}:
                current = head
                continue
            if self.ud and current.dep_ in {"advcl", "acl", "obl:arg"} and self._has_infinitive_mark(current):
                current = head
                continue
            if (
                not self.ud
                and current.dep_ == "advcl"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
            ):
                current = head  # "met in Zurich to discuss ...": a purpose infinitive shares the subject
                continue
            if current.dep_ == "advcl" and self._is_participle_clause(current):
                # "Défiant les sanctions, la Russie ...": a participial clause has the main subject.
                current = head
                continue
            return []
        return []

    def objects(self, verb: Token) -> list[Token]:
        if self.is_passive(verb):
            # "Rapanos, qui sera assisté par …": a relative subject stands for the noun it modifies.
            found = [
                a for c in verb.children if c.dep_ in self.s.subj_pass if (a := self._antecedent(c, verb))
            ]
            if not found and verb.dep_ == "conj" and verb.head != verb:
                # "imprisoned ... were released by Putin": the coordinated passive shares the subject.
                found = self.surface_subjects(verb.head)
            return found
        found = self._own_objects(verb)
        if found:
            clause = self._relative_clause(verb)
            return [clause.head if clause is not None and self._is_relative(c) else c for c in found]
        if self.ud:
            # "a appelé Israël à ...": a bare name the parser made an xcomp is the object.
            found = [c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in {"PROPN", "NOUN"}]
            clause = None if found else self._relative_clause(verb)
            if clause is not None and any(
                norm(c.text) in {"que", "qu'"} and c.dep_ in {"mark", "obj"} for c in clause.children
            ):
                # "la dette que le pays doit honorer": the parser often makes "que" a mere marker;
                # the object of the clause is then the noun it modifies.
                found = [clause.head]
        return found

    def _own_objects(self, verb: Token) -> list[Token]:
        """Objects of ``verb``, mending one parser slip: "ont appelé au dialogue et rejeté toute
        sanction" hangs "sanction" on "appelé"; an object after a coordinated verb that has none is that
        verb's."""
        objs = [c for c in verb.children if c.dep_ in self.s.obj]
        later = [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]
        bare = [w for w in later if not any(c.dep_ in self.s.obj for c in w.children)]
        if bare:
            objs = [o for o in objs if not any(w.i < o.i for w in bare)]
        if not objs and verb.dep_ == "conj" and verb.pos_ == "VERB" and verb.head != verb:
            nxt = [w.i for w in verb.head.children if w.dep_ == "conj" and w.pos_ == "VERB" and w.i > verb.i]
            stop = min(nxt, default=len(verb.doc))
            objs = [c for c in verb.head.children if c.dep_ in self.s.obj and verb.i < c.i < stop]
        return objs

    def _relative_clause(self, verb: Token) -> Token | None:
        """The verb heading the relative clause ``verb`` is in, directly or through control verbs
        ("que nous devons honorer", "that the army wants to seize"), or None."""
        current = verb
        for _ in range(3):
            if current.dep_ in self.s.relcl:
                return current
            if current.dep_ not in self.s.control or current.head == current:
                return None
            current = current.head
        return None

    def semantic_head(self, token: Token) -> Token:
        """ "des milliers de manifestants", "dozens of civilians": the counted noun, not the count."""
        if norm(token.lemma_) not in QUANTITIES and norm(token.text) not in QUANTITIES:
            return token
        for prep, noun in self.preps(token):
            if prep in {"de", "of"} and noun.pos_ in {"NOUN", "PROPN"}:
                return noun
        return token

    def indirect_objects(self, verb: Token) -> list[Token]:
        return [c for c in verb.children if c.dep_ in self.s.iobj]

    def agents(self, verb: Token) -> list[Token]:
        if self.ud:
            return [c for c in verb.children if c.dep_ == "obl:agent"]
        return [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]

    def _antecedent(self, token: Token, verb: Token) -> Token | None:
        """A relative pronoun subject stands for the noun its clause modifies ("les forces qui ...").

        A UD subject with a preposition is a misparsed adjunct ("D'après le ministère, 300 personnes
        ont été tuées" with "ministère" as subject, or "D'" as the verb's mark): the noun after its
        comma is the subject, if any."""
        if token.pos_ == "PRON" and verb.dep_ in self.s.relcl and self._is_relative(token):
            return verb.head
        if self.ud and (self._case(token) is not None or after_source_marker(token)):
            comma = next((c.i for c in token.children if c.text == "," and c.i > token.i), None)
            after = [c for c in token.children if comma is not None and c.i > comma and c.pos_ in NOMINAL]
            return after[0] if after else None
        return token

    def _is_relative(self, token: Token) -> bool:
        return "Rel" in token.morph.get("PronType", []) or token.tag_ in {"WDT", "WP", "WP$"}

    def _is_participle_clause(self, verb: Token) -> bool:
        if self.ud:
            return "Part" in verb.morph.get("VerbForm", []) and "Pres" in verb.morph.get("Tense", [])
        return verb.tag_ == "VBG" and not any(c.dep_ == "mark" for c in verb.children)

    def _has_infinitive_mark(self, verb: Token) -> bool:
        return "Inf" in verb.morph.get("VerbForm", []) and any(
            c.dep_ in {"mark", "case"} for c in verb.children
        )

    # -- prepositional arguments ------------------------------------------------------------------

    def preps(self, head: Token) -> Iterator[tuple[str, Token]]:
        """(preposition, noun) pairs attached to ``head``: "reproche aux Européens" → ("à", Européens)."""
        if self.ud:
            for child in head.children:
                if child.dep_ == "advmod" and norm(child.text) in PREPOSITION_ADVERBS:
                    # "a protesté auprès de Pyongyang": the parser makes "auprès" an adverb heading "de X".
                    for prep, noun in self.preps(child):
                        yield f"{norm(child.text)} {prep}", noun
                    continue
                if not (child.dep_.startswith(("obl", "nmod")) or child.dep_ == "iobj"):
                    continue
                case = [c for c in child.children if c.dep_ == "case"]
                if case:
                    # The surface form, not the lemma: some models lemmatize "entre" as "entrer".
                    word = norm(case[0].text)
                    words = [
                        CONTRACTED.get(word, word),
                        *(norm(f.text) for f in case[0].children if f.dep_ == "fixed"),
                    ]
                    yield " ".join(words), child
            return
        for child in head.children:
            if child.dep_ in {"prep", "agent"}:
                words = [
                    norm(child.text),
                    *(
                        norm(f.text)
                        for f in child.children
                        if f.dep_ in {"fixed", "pobj"} and f.pos_ == "ADP"
                    ),
                ]
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        yield " ".join(words), obj
                    elif obj.dep_ == "prep":  # "according to X", "out of X"
                        inner = f"{words[0]} {norm(obj.text)}"
                        for pobj in obj.children:
                            if pobj.dep_ == "pobj":
                                yield inner, pobj

    def modifiers(self, noun: Token) -> list[Token]:
        """Adjectives and name compounds that can name the doer ("forces américaines", "U.S. troops")."""
        out = [c for c in noun.children if c.dep_ in self.s.noun_mods and c.pos_ in {"ADJ", "PROPN"}]
        return out

    def possessors(self, noun: Token) -> list[Token]:
        if self.ud:
            return [c for c in noun.children if c.dep_ == "det" and "Yes" in c.morph.get("Poss", [])]
        return [c for c in noun.children if c.dep_ == "poss"]

    def particles(self, verb: Token) -> frozenset[str]:
        return frozenset(norm(c.text) for c in verb.children if c.dep_ in {"prt", "compound:prt"})

    def is_reflexive(self, verb: Token) -> bool:
        if not self.ud:
            return False
        return any(
            ("Yes" in c.morph.get("Reflex", []) or norm(c.text) in {"se", "s'"})
            for c in verb.children
            if c.dep_ in {"expl:comp", "expl:pass", "expl", "obj", "iobj", "expl:subj"}
        )

    # -- clauses and complements ------------------------------------------------------------------

    def complement_heads(self, verb: Token) -> list[Token]:
        """Predicates a verb governs as its content ("menace de frapper", "exhorte les parties à
        négocier")."""
        out: list[Token] = []
        for child in verb.children:
            clausal = child.dep_ in {"advcl", "acl", "obl:arg", "pcomp"} and child.pos_ in VERBAL
            if child.dep_ in {"xcomp", "ccomp"} or clausal:
                out.append(child)
            elif child.dep_ in {"prep"} and not self.ud:
                out.extend(g for g in child.children if g.dep_ == "pcomp")
        for obj in self.objects(verb) + self.indirect_objects(verb):
            out.extend(c for c in obj.children if c.dep_ in {"acl", "relcl"} and c.pos_ in VERBAL)
        return out

    def nominal_dependents(self, verb: Token) -> list[Token]:
        out = [c for c in verb.children if c.dep_ in self.s.obj or c.dep_ in self.s.iobj]
        out.extend(noun for _, noun in self.preps(verb))
        if self.ud:
            out.extend(c for c in verb.children if c.dep_ == "obl:arg")
        return out

    def clause_head(self, token: Token) -> Token:
        """The predicate heading ``token``'s clause (itself for a verb)."""
        current = token
        for _ in range(MAX_UP):
            if current.pos_ in VERBAL and current.dep_ not in {
                "aux",
                "aux:tense",
                "aux:pass",
                "auxpass",
                "cop",
            }:
                return current
            if current.dep_ in self.s.clausal or current.head == current:
                return current
            current = current.head
        return current

    def noun_governor(self, noun: Token) -> tuple[Token, str] | None:
        """The verb a nominal predicate hangs on, and how: ``obj`` ("a effectué une visite") or ``obl``."""
        head = self.phrase_head(noun)
        dep = head.dep_
        gov = head.head
        if gov == head:
            return None
        if dep in self.s.obj or dep in self.s.subj_pass:
            return gov, "obj"
        if self.ud:
            if dep.startswith(("obl", "nmod")):
                return gov, "obl"
            return None
        if dep == "pobj" and gov.dep_ in {"prep", "agent"} and gov.head != gov:
            return gov.head, "obl"
        return None

    def phrase_head(self, token: Token) -> Token:
        """A noun the parser glued to its neighbour as a name part ("un lâche assassinat") stands for it."""
        glued = token.dep_ in {"flat:name", "flat", "fixed", "compound"}
        if glued and token.head.pos_ in {"NOUN", "ADJ", "PROPN"} and abs(token.head.i - token.i) <= 2:
            return token.head
        return token

    def participle_agents(self, noun: Token) -> list[Token]:
        """ "un assassinat mené par les forces américaines": the agent of a participle on the noun."""
        out: list[Token] = []
        for head in {noun, self.phrase_head(noun)}:
            for child in head.children:
                if child.dep_ in {"acl", "amod", "relcl"} and child.pos_ == "VERB":
                    out.extend(self.agents(child))
        return out

    def conjuncts(self, token: Token) -> list[Token]:
        """``token`` and the phrases coordinated with it ("Fomin et Jalali"), not a new oblique
        ("par les forces américaines et sur le territoire syrien")."""
        case = self._case(token)
        out = [token]
        left = left_conjunct(token)
        if left is not None:
            out.append(left)
        queue = [token]
        while queue and len(out) < MAX_CONJ:
            current = queue.pop()
            for child in current.children:
                listed = child.dep_ == "appos" and any(g.dep_ == "conj" for g in child.children)
                if not (child.dep_ == "conj" or listed) or child.pos_ not in NOMINAL | {"ADJ"}:
                    continue
                if len(out) >= MAX_CONJ:
                    break
                own = self._case(child)
                if own is not None and own != case:
                    continue
                out.append(child)
                queue.append(child)
        return out

    def _case(self, token: Token) -> str | None:
        for child in token.children:
            if child.dep_ == "case":
                return norm(child.lemma_)
        return None
