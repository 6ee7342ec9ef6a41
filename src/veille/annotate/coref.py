"""A small rule-based coreference for speakers: who "il", "la source" or "le 1er diplomate US" is.

Discourse entities are built once per article from the named entities (people clustered by
surname, organisations by name) with the titles the text gives them ("le secrétaire général de
l'OTAN, Jens Stoltenberg" → role "secrétaire général de l'otan"), and from the speakers already
attributed. A speaker mention is then resolved, in text order:

* a name → its entity's longest name ("Stoltenberg" → "Jens Stoltenberg");
* a pronoun → the most recent compatible entity (gender, number, person vs organisation), a subject
  or a speaker taking precedence over a name in an object position;
* a definite description → a person whose title names the same office ("son secrétaire général",
  "le 1er diplomate US" ~ "secrétaire d'État américain"), an organisation whose name contains the
  head noun ("le ministère"), or, for "la source" / "le site", the last speaker;
* anything else keeps its own words ("certains médias").

Measured on the French fixtures by speaker accuracy per mention kind (``veille.evaluate.quotes``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Span

from veille.annotate.attribution import NP_JOINERS, Attribution, DocView, Mention, np_tokens
from veille.annotate.quote_lexicon import fold
from veille.resources import load_tsv

_PERSON_LABELS: frozenset[str] = frozenset({"PER", "PERSON"})
_ORG_LABELS: frozenset[str] = frozenset({"ORG", "MISC", "NORP", "GPE", "LOC", "FAC"})
_SUBJECT_DEPS: frozenset[str] = frozenset({"nsubj", "nsubj:pass", "appos", "ROOT", "flat:name", "compound"})
_FEMININE_TITLES: frozenset[str] = frozenset({"mme", "madame", "mrs", "mrs.", "ms", "ms.", "miss", "mlle"})
_MASCULINE_TITLES: frozenset[str] = frozenset({"m.", "monsieur", "mr", "mr."})
_POSSESSIVES: frozenset[str] = frozenset({"son", "sa", "ses", "leur", "leurs", "its", "his", "her", "their"})
_WINDOW_CHARS = 3000  # how far back a pronoun or description looks for its antecedent
# Salience bonuses, in characters of recency: a subject, a speaker and a person are preferred over a
# slightly closer mention that is none of these.
_SUBJECT_BONUS = 200
_SPEAKER_BONUS = 150
_PERSON_BONUS = 300
_CENTER_BONUS = 250
_NAMED_BONUS = 150


@cache
def first_names() -> dict[str, str]:
    """First name → usual gender (m/f), from ``data/lexicons/first_names.tsv``."""
    return {row["name"]: row["gender"] for row in load_tsv("lexicons/first_names.tsv")}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(slots=True)
class DiscourseEntity:
    name: str
    start: int
    end: int
    person: bool
    named: bool = True  # False for people known only by their role ("la présidente de la Commission")
    titles: list[str] = field(default_factory=list)
    gender: str = "x"
    plural: bool = False
    positions: list[tuple[int, bool]] = field(default_factory=list)  # (char offset, subject-like)
    spoke_at: list[int] = field(default_factory=list)  # where it was attributed words

    def last_before(self, at: int, *, subject: bool, speaker: bool = False) -> int:
        best = -1
        for pos, is_subject in self.positions:
            if pos < at and (is_subject or not subject) and (not speaker or pos in self.spoke_at):
                best = max(best, pos)
        return best


class Coreference:
    def __init__(self, view: DocView) -> None:
        self.view = view
        self.entities: list[DiscourseEntity] = []
        self._by_key: dict[str, DiscourseEntity] = {}
        doc = view.doc
        spans = (
            doc._.veille_entities
            if doc.has_extension("veille_entities") and doc._.veille_entities
            else doc.ents
        )
        for span in spans:
            if view.in_quote[span.start] >= 0 or self._caption(span):
                continue
            if span.label_ in _PERSON_LABELS:
                self._add_person(span)
            elif span.label_ in _ORG_LABELS:
                self._add_org(span)
        self._add_role_subjects([(s.start, s.end) for s in spans])

    def _add_role_subjects(self, named: list[tuple[int, int]]) -> None:
        """Subjects named by their role only ("La présidente de la Commission a défendu …")."""
        view = self.view
        roles = view.lex.word_set("roles")
        for token in view.doc:
            if (
                token.dep_ not in {"nsubj", "nsubj:pass"}
                or token.pos_ != "NOUN"
                or view.in_quote[token.i] >= 0
            ):
                continue
            if fold(token.lemma_) not in roles and view.words[token.i] not in roles:
                continue
            first, last = np_tokens(token)
            if any(s <= last and first < e for s, e in named):
                continue  # "le président ivoirien, Laurent Kouassi": the name is the entity
            span = view.doc[first : last + 1]
            name = _strip_determiner(span.text, view)
            key = "role:" + _plain(name)
            entity = self._by_key.get(key)
            if entity is None:
                gender = token.morph.get("Gender")
                entity = DiscourseEntity(name, span.start_char, span.end_char, person=True, named=False)
                entity.gender = "f" if "Fem" in gender else "m" if "Masc" in gender else "x"
                entity.plural = "Plur" in token.morph.get("Number")
                entity.titles.append(fold(name))
                self._by_key[key] = entity
                self.entities.append(entity)
            entity.positions.append((span.start_char, True))

    # -- building ---------------------------------------------------------------------------------
    def _caption(self, span: Span) -> bool:
        """A name in a line with no verb (photo credit, byline) is not part of the discourse."""
        view = self.view
        first, last = view.sent_start[span.start], view.sent_end[span.start]
        return not any(t.pos_ in {"VERB", "AUX"} for t in view.doc[first:last])

    def _subject_like(self, span: Span) -> bool:
        root = span.root
        if root.dep_ in _SUBJECT_DEPS or root.head.dep_ in {"nsubj", "nsubj:pass", "nsubjpass"}:
            return True
        # "L'entraîneur du Stade rennais, Bruno Génésio, n'a pas caché …": a name set off by commas
        # right before the verb group is the subject, whatever the parse says.
        doc = span.doc
        k = span.end
        if k < len(doc) and doc[k].text == "," and span.start > 0 and doc[span.start - 1].text == ",":
            k += 1
            while k < len(doc) and self.view.words[k] in {"n'", "ne", "quant", "à", "lui", "elle"}:
                k += 1
            return k < len(doc) and doc[k].pos_ in {"AUX", "VERB"}
        return False

    def _add_person(self, span: Span) -> None:
        key = "per:" + _plain(span[-1].text)
        entity = self._by_key.get(key)
        if entity is None:
            entity = DiscourseEntity(span.text, span.start_char, span.end_char, person=True)
            self._by_key[key] = entity
            self.entities.append(entity)
        elif len(span.text) > len(entity.name):
            entity.name, entity.start, entity.end = span.text, span.start_char, span.end_char
        entity.positions.append((span.start_char, self._subject_like(span)))
        for title in self._titles(span):
            if title not in entity.titles:
                entity.titles.append(title)
        before = fold(self.view.doc[span.start - 1].text) if span.start > 0 else ""
        given = first_names().get(span[0].text) if len(span) > 1 else None
        if given is not None and entity.gender == "x":
            entity.gender = given
        if before in _FEMININE_TITLES:
            entity.gender = "f"
        elif before in _MASCULINE_TITLES:
            entity.gender = "m"

    def _add_org(self, span: Span) -> None:
        key = "org:" + _plain(span.text)
        entity = self._by_key.get(key)
        if entity is None:
            entity = DiscourseEntity(span.text, span.start_char, span.end_char, person=False)
            gender = span.root.morph.get("Gender")
            entity.gender = "f" if "Fem" in gender else "m" if "Masc" in gender else "x"
            self._by_key[key] = entity
            self.entities.append(entity)
        entity.positions.append((span.start_char, self._subject_like(span)))

    def _titles(self, span: Span) -> list[str]:
        """Role words around a person's name: before it in the same phrase, or in an apposition."""
        view = self.view
        doc = view.doc
        out: list[str] = []
        j = span.start - 1
        if j >= 0 and view.words[j] == ",":
            # "le secrétaire général de l'OTAN, Jens Stoltenberg": only when the parse links the two.
            before = doc[j - 1] if j > 0 else None
            linked = before is not None and (
                span.root.head.i < span.start
                and span.root.dep_ == "appos"
                or before.head.i in range(span.start, span.end)
            )
            if not linked:
                j = -1
            else:
                j -= 1
        first = None
        while j >= view.sent_start[span.start] and span.start - j < 12 and view.in_quote[j] < 0:
            token = doc[j]
            if token.pos_ in {"NOUN", "ADJ", "PROPN", "NUM", "DET"} or view.words[j] in NP_JOINERS:
                first = j
                if token.pos_ == "DET" and (j == 0 or doc[j - 1].pos_ not in {"ADP"}):
                    break
            else:
                break
            j -= 1
        if first is not None:
            words = [
                view.words[k]
                for k in range(first, span.start)
                if doc[k].pos_ != "DET" and view.words[k] != ","
            ]
            if any(doc[k].pos_ == "NOUN" for k in range(first, span.start)):
                out.append(" ".join(words))
                self._gender_from_title(span, first)
        k = span.end
        if k < len(doc) and view.words[k] == ",":
            words = []
            m = k + 1
            while (
                m < len(doc)
                and m - k < 12
                and view.words[m] not in {",", ".", ";"}
                and doc[m].pos_
                not in {
                    "VERB",
                    "AUX",
                }
            ):
                if doc[m].pos_ != "DET":
                    words.append(view.words[m])
                m += 1
            if (
                words
                and m < len(doc)
                and view.words[m] == ","
                and any(doc[t].pos_ == "NOUN" for t in range(k + 1, m))
            ):
                out.append(" ".join(words))
        return out

    def _gender_from_title(self, span: Span, first: int) -> None:
        doc = self.view.doc
        nouns = [k for k in range(first, span.start) if doc[k].pos_ == "NOUN"]
        if nouns and "Fem" in doc[nouns[0]].morph.get("Gender"):
            self._by_key["per:" + _plain(span[-1].text)].gender = "f"

    def add_speaker(self, mention: Mention, at: int) -> None:
        """A resolved speaker becomes (or refreshes) a discourse entity: speakers are salient."""
        if mention.name is None:
            return
        for entity in self.entities:
            if entity.name == mention.name:
                entity.positions.append((at, True))
                entity.spoke_at.append(at)
                if (
                    mention.kind == "pronoun"
                    and mention.gender in "mf"
                    and entity.gender == "x"
                    and entity.person
                ):
                    entity.gender = mention.gender
                return
        roles = self.view.lex.word_set("roles")
        person = (
            mention.kind == "pronoun" and mention.head not in {"it", "ils", "they"}
        ) or mention.head in roles
        entity = DiscourseEntity(
            mention.name,
            mention.name_start if mention.name_start is not None else mention.start,
            mention.name_end if mention.name_end is not None else mention.end,
            person=person,
            gender=mention.gender,
            plural=mention.plural,
        )
        entity.positions.append((at, True))
        entity.spoke_at.append(at)
        self.entities.append(entity)

    # -- resolving --------------------------------------------------------------------------------
    def resolve(self, mention: Mention) -> None:
        if mention.kind == "name":
            self._resolve_name(mention)
        elif mention.kind == "pronoun":
            self._resolve_pronoun(mention)
        elif mention.kind == "description":
            self._resolve_description(mention)
        if mention.name is None:
            mention.name = _strip_determiner(mention.text, self.view)
            mention.name_start, mention.name_end = mention.start, mention.end

    def _possessor(self, char: int) -> bool:
        """Whether the name starting at ``char`` is a possessor ("Campbell's partner")."""
        view = self.view
        token = view.token_at(char)
        if token is None:
            return False
        k = token
        while k + 1 < len(view.doc) and view.doc[k + 1].pos_ == "PROPN":
            k += 1
        return k + 1 < len(view.doc) and view.words[k + 1] in {"'s", "'"}

    def _set(self, mention: Mention, entity: DiscourseEntity) -> None:
        mention.name, mention.name_start, mention.name_end = entity.name, entity.start, entity.end
        # A title's article is part of it: "Les Échos", "Le Monde" (the NER often leaves it out).
        doc = self.view.doc
        span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if span is not None and span.start > 0 and mention.start <= doc[span.start - 1].idx < mention.end:
            article = doc[span.start - 1]
            if article.text in {"Le", "La", "Les", "L'", "L’"} and not article.is_sent_start:
                mention.name = doc.text[article.idx : entity.end]
                mention.name_start = article.idx

    def _resolve_name(self, mention: Mention) -> None:
        best: DiscourseEntity | None = None
        rank: tuple[int, int] = (-1, -1)
        for entity in self.entities:
            # A person's name wins over an organisation named in the same phrase, and both over a role;
            # among equals the last one heads the phrase ("Surrey mayoral candidate Doug McCallum").
            entity_rank = (2 if entity.person else 1) if entity.named else 0
            for pos, _ in entity.positions:
                if mention.start <= pos < mention.end and (entity_rank, pos) > rank and not self._possessor(pos):
                    best, rank = entity, (entity_rank, pos)
        if best is None:
            tail = _trailing_name(self.view, mention)
            if tail is not None:
                mention.name, mention.name_start, mention.name_end = tail
                key = "per:" + _plain(tail[0].split()[-1])
                if key in self._by_key:
                    self._set(mention, self._by_key[key])
            return
        self._set(mention, best)

    def _candidates(
        self, at: int, *, subject: bool, speaker: bool = False
    ) -> list[tuple[int, DiscourseEntity]]:
        out = []
        for entity in self.entities:
            pos = entity.last_before(at, subject=subject, speaker=speaker)
            if pos >= 0 and at - pos <= _WINDOW_CHARS:
                out.append((pos, entity))
        return sorted(out, key=lambda item: -item[0])

    def _previous_sentence(self, at: int) -> tuple[int, int] | None:
        """Character range of the sentence before the one containing ``at``, or None."""
        view = self.view
        token = view.token_at(at)
        if token is None:
            return None
        start = view.sent_start[token]
        # Start from the sentence where the quote around the mention began.
        while start > 0 and view.in_quote[start] >= 0:
            start = view.sent_start[start - 1]
        if start == 0:
            return None
        prev = view.sent_start[start - 1]
        while prev > 0 and all(
            t.is_space or t.is_punct or view.in_quote[t.i] >= 0 for t in view.doc[prev:start]
        ):
            prev = view.sent_start[prev - 1]
        return view.doc[prev].idx, view.doc[start].idx

    def _compatible(self, mention: Mention, entity: DiscourseEntity) -> bool:
        if mention.plural != entity.plural and not (mention.plural and not entity.person):
            return False
        if {mention.gender, entity.gender} == {"m", "f"}:
            return False
        if mention.head in {"he", "she", "him", "her"} and not entity.person:
            return False
        return not (mention.head == "it" and entity.person)

    def _resolve_pronoun(self, mention: Mention) -> None:
        """Salience: recency, plus a bonus for subjects, speakers and (speech being human) persons."""
        at = mention.start
        best: DiscourseEntity | None = None
        best_score = float("-inf")
        center = self._previous_sentence(at)
        for entity in self.entities:
            last = entity.last_before(at, subject=False)
            if last < 0 or at - last > _WINDOW_CHARS or not self._compatible(mention, entity):
                continue
            score = float(last)
            subject = entity.last_before(at, subject=True)
            if subject >= 0:
                score = max(score, subject + _SUBJECT_BONUS)
            spoke = entity.last_before(at, subject=False, speaker=True)
            if spoke >= 0:
                score = max(score, spoke + _SUBJECT_BONUS + _SPEAKER_BONUS)
            if entity.person and mention.head != "it":
                score += _PERSON_BONUS
            if entity.named:
                score += _NAMED_BONUS
            if center is not None and any(center[0] <= p < center[1] and s for p, s in entity.positions):
                score += _CENTER_BONUS  # the subject of the sentence before is the likeliest referent
            if score > best_score:
                best, best_score = entity, score
        if best is not None:
            self._set(mention, best)

    def _resolve_description(self, mention: Mention) -> None:
        view = self.view
        core = _strip_determiner(mention.text, view)
        folded = fold(core)
        words = set(folded.replace("'", "' ").split())
        if mention.head in view.lex.word_set("anaphoric_sources") and len(words) <= 3:
            for _, entity in self._candidates(mention.start, subject=True, speaker=True):
                self._set(mention, entity)
                return
        roles = view.lex.word_set("roles")
        if words & roles:
            for _, entity in self._candidates(mention.start, subject=False):
                if entity.person and any(self._role_match(folded, title) for title in entity.titles):
                    self._set(mention, entity)
                    return
        for _, entity in self._candidates(mention.start, subject=False):
            if not entity.person and mention.head and mention.head in _plain(entity.name).split():
                self._set(mention, entity)
                return
            if not entity.person and mention.head and mention.head in fold(entity.name).split():
                self._set(mention, entity)
                return
        first_word = fold(mention.text.split()[0]) if mention.text.split() else ""
        possessive = first_word in _POSSESSIVES
        if not words & roles and not possessive and mention.head in view.lex.word_set("generic_org_nouns"):
            # "l'entreprise", "le groupe": the organisation the text is about right now.
            center = self._center_entity(mention)
            if center is not None and not center.person:
                self._set(mention, center)
                return
        # A role no title matches stays as written ("le procureur" is often a first mention), even
        # when it is an elegant variation ("Bourigeaud … a reconnu le milieu de terrain").
        if possessive and not words & roles:
            # "selon ses chiffres", "dans son communiqué": the possessor speaks.
            center = self._center_entity(mention)
            if center is not None:
                self._set(mention, center)

    def _center_entity(self, mention: Mention, *, person: bool = False) -> DiscourseEntity | None:
        """The entity the sentence around the mention, or the one before, has as subject."""
        current = self._previous_sentence(mention.start)
        token = self.view.token_at(mention.start)
        if token is None:
            return None
        here = (self.view.doc[self.view.sent_start[token]].idx, mention.start)
        for start, end in (here, current) if current is not None else (here,):
            best = None
            for entity in self.entities:
                if person and not entity.person:
                    continue
                for pos, subject in entity.positions:
                    if subject and start <= pos < end and (best is None or pos > best[0]):
                        best = (pos, entity)
            if best is not None:
                return best[1]
        return None

    def _role_match(self, description: str, title: str) -> bool:
        lex = self.view.lex
        if not lex.roles_equivalent(description, title):
            return False
        nat_d = [w for w in description.split() if any(w in g for g in lex.nationality_groups)]
        nat_t = [w for w in title.split() if any(w in g for g in lex.nationality_groups)]
        return all(lex.nationality_compatible(a, b) for a in nat_d for b in nat_t)


def _strip_determiner(text: str, view: DocView) -> str:
    words = text.split()
    while len(words) > 1 and fold(words[0]) in view.lex.word_set("definite_determiners"):
        words = words[1:]
    out = " ".join(words)
    for elided in ("l'", "l’", "L'", "L’"):
        if out.startswith(elided) and len(out) > 2:
            out = out[2:]
    return out


def _trailing_name(view: DocView, mention: Mention) -> tuple[str, int, int] | None:
    """ "le site d'information Avia.pro" → "Avia.pro": capitalised words closing the phrase."""
    span = view.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    run = []
    for token in reversed(span):
        if token.text[:1].isupper() or token.pos_ == "PROPN":
            run.append(token)
        else:
            break
    if not run or run[-1].i == span.start and len(span) > 1 and span[0].pos_ == "DET":
        return None
    run.reverse()
    if run[0].i > span.start and fold(view.doc[run[0].i - 1].text) in NP_JOINERS:
        return None
    return view.doc[run[0].i : run[-1].i + 1].text, run[0].idx, run[-1].idx + len(run[-1].text)


def resolve_speakers(view: DocView, records: list[Attribution]) -> Coreference:
    """Resolve every speaker and relay mention in text order (earlier speakers help later ones)."""
    coref = Coreference(view)
    for record in sorted(records, key=lambda r: r.evidence_start):
        if record.speaker is not None and record.speaker.kind != "inherited":
            coref.resolve(record.speaker)
            coref.add_speaker(record.speaker, record.speaker.start)
        for mention in (*record.via, *record.origins):
            coref.resolve(mention)
    return coref
