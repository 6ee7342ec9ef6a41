"""Discourse entities of an article, for speaker coreference (``veille.annotate.coref``).

People are clustered by surname ("Jens Stoltenberg" / "Stoltenberg"), organisations by name; each
keeps where it was mentioned (and whether as a subject or a speaker), the titles the text gives it
("le secrétaire général de l'OTAN, Jens Stoltenberg" → "secrétaire général de l'otan") and its
gender when the text or a first name tells it. Names in captions and bylines are left out.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Span

from veille.annotate.attribution import NP_JOINERS, DocView, Mention, morph_gender, noun_gender
from veille.annotate.attribution_actors import actor_spans
from veille.annotate.attribution_np import np_tokens
from veille.annotate.doc_cache import token_table
from veille.annotate.quote_lexicon import fold
from veille.resources import load_tsv

_PERSON_LABELS: frozenset[str] = frozenset({"PER", "PERSON"})
_ORG_LABELS: frozenset[str] = frozenset({"ORG", "MISC", "NORP", "GPE", "LOC", "FAC"})
_PLACE_LABELS: frozenset[str] = frozenset({"GPE", "LOC", "FAC"})
_SUBJECT_DEPS: frozenset[str] = frozenset({"nsubj", "nsubj:pass", "appos", "ROOT", "flat:name", "compound"})
_FEMININE_TITLES: frozenset[str] = frozenset({"mme", "madame", "mrs", "mrs.", "ms", "ms.", "miss", "mlle"})
_MASCULINE_TITLES: frozenset[str] = frozenset({"m.", "monsieur", "mr", "mr."})
POSSESSIVES: frozenset[str] = frozenset({"son", "sa", "ses", "leur", "leurs", "its", "his", "her", "their"})


@cache
def first_names() -> dict[str, str]:
    """First name → usual gender (m/f), from ``data/lexicons/first_names.tsv``."""
    return {row["name"]: row["gender"] for row in load_tsv("lexicons/first_names.tsv")}


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_PLURAL_ARTICLES = frozenset({"les", "des", "aux"})


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


class DiscourseIndex:
    """The discourse entities of one article, built once; speakers are added as they are resolved."""

    def __init__(self, view: DocView) -> None:
        self.view = view
        self.entities: list[DiscourseEntity] = []
        self._captions: dict[int, bool] = {}  # sentence start → no verb in it
        self._by_key: dict[str, DiscourseEntity] = {}
        doc = view.doc
        spans = (
            doc._.veille_entities
            if doc.has_extension("veille_entities") and doc._.veille_entities
            else doc.ents
        )
        for span in [*spans, *actor_spans(view, list(spans))]:
            if view.in_quote[span.start] >= 0 or self._caption(span):
                continue
            if span.label_ in _PERSON_LABELS:
                self._add_person(span)
            elif span.label_ in _ORG_LABELS:
                self._add_org(span)
        self._merge_mislabelled_people()
        self._add_role_subjects(list(spans))

    def _merge_mislabelled_people(self) -> None:
        """A person's surname the NER also tagged as a place or an organisation ("Wojtaszek said" as
        ORG, "Bardos" as GPE) is the person, once the article has named them in full."""
        people = {
            plain(e.name.split()[-1]): e for e in self.entities if e.person and e.named and " " in e.name
        }
        full = {plain(e.name): e for e in people.values()}
        kept: list[DiscourseEntity] = []
        for entity in self.entities:
            key = plain(entity.name)
            person = None if entity.person else full.get(key) or (people.get(key) if " " not in key else None)
            if person is None:
                kept.append(entity)
                continue
            person.positions.extend(entity.positions)
            person.positions.sort()
            self._by_key["org:" + key] = person
        self.entities = kept

    def _add_role_subjects(self, spans: list[Span]) -> None:
        """Subjects named by their role only ("La présidente de la Commission a défendu …").

        A name in the phrase or right beside it is the entity instead ("le président ivoirien,
        Laurent Kouassi", "explique Jean Dupont le vice-président du groupe"), unless the name only
        completes the role ("le maire de Lyon", "la présidente de la Commission": people, not Lyon
        or the Commission).
        """
        view = self.view
        roles = view.lex.word_set("roles")
        table = token_table(view.doc)
        named = [(s.start, s.end) for s in spans if s.label_ in _PERSON_LABELS or not self._complement(s)]
        people = [(s.start, s.end) for s in spans if s.label_ in _PERSON_LABELS]
        # Without a comma a name beside the role is its holder even when the NER missed the person
        # ("explique Jean Dupont le vice-président", tagged MISC); a place is not ("En France le …").
        close = [(s.start, s.end) for s in spans if s.label_ not in _PLACE_LABELS]
        for i, (dep, pos) in enumerate(zip(table.deps, table.pos, strict=True)):
            # Filtered on the token arrays: a Token is built only for a role noun that is a subject.
            if dep not in {"nsubj", "nsubj:pass"} or pos != "NOUN" or view.in_quote[i] >= 0:
                continue
            if fold(table.lemmas[i]) not in roles and view.words[i] not in roles:
                continue
            token = view.doc[i]
            first, last = np_tokens(token)
            if (
                any(s <= last and first < e for s, e in named)
                or self._beside(first, last, people, comma=True)
                or self._beside(first, last, close, comma=False)
            ):
                continue  # "le président ivoirien, Laurent Kouassi": the name is the entity
            span = view.doc[first : last + 1]
            name = strip_determiner(span.text, view)
            key = "role:" + plain(name)
            entity = self._by_key.get(key)
            if entity is None:
                entity = DiscourseEntity(name, span.start_char, span.end_char, person=True, named=False)
                entity.gender = noun_gender(token)
                if entity.gender == "x":
                    entity.gender = self._gender_of_words([view.words[k] for k in range(first, last + 1)])
                entity.plural = "Plur" in token.morph.get("Number", [])
                entity.titles.append(fold(name))
                self._by_key[key] = entity
                self.entities.append(entity)
            entity.positions.append((span.start_char, True))

    def _complement(self, span: Span) -> bool:
        """Whether a name completes a noun after a preposition ("de Lyon", "de la Commission")."""
        k = span.start - 1
        while k >= 0 and self.view.doc[k].pos_ == "DET":
            k -= 1
        return k >= 0 and (self.view.doc[k].pos_ == "ADP" or self.view.words[k] in NP_JOINERS)

    def _beside(self, first: int, last: int, names: list[tuple[int, int]], *, comma: bool) -> bool:
        """A name ends right before the phrase or starts right after it (``comma``: or with a comma
        between)."""
        words = self.view.words
        before, after = {first}, {last + 1}
        if comma and first > 0 and words[first - 1] == ",":
            before.add(first - 1)
        if comma and last + 1 < len(words) and words[last + 1] == ",":
            after.add(last + 2)
        return any(e in before or s in after for s, e in names)

    # -- building ---------------------------------------------------------------------------------
    def _caption(self, span: Span) -> bool:
        """A name in a line with no verb (photo credit, byline) is not part of the discourse."""
        view = self.view
        first = view.sent_start[span.start]
        if first not in self._captions:
            last = view.sent_end[span.start]
            tags = token_table(view.doc).pos[first:last]
            self._captions[first] = not any(p in {"VERB", "AUX"} for p in tags)
        return self._captions[first]

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
        key = "per:" + plain(span[-1].text)
        entity = self._by_key.get(key)
        if entity is not None and _other_given_name(entity.name, span.text):
            entity = None  # "Oumar Maïga" is not "Fatoumata Maïga"; a bare "Maïga" is the last one named
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
            if entity.gender == "x":
                entity.gender = self._gender_of_words(title.split())
        before = fold(self.view.doc[span.start - 1].text) if span.start > 0 else ""
        given = first_names().get(span[0].text) if len(span) > 1 else None
        if given is not None and entity.gender == "x":
            entity.gender = given
        if before in _FEMININE_TITLES:
            entity.gender = "f"
        elif before in _MASCULINE_TITLES:
            entity.gender = "m"

    def _add_org(self, span: Span) -> None:
        key = "org:" + plain(span.text)
        entity = self._by_key.get(key)
        if entity is None:
            entity = DiscourseEntity(span.text, span.start_char, span.end_char, person=False)
            entity.gender = morph_gender(span.root)
            # "les Tricolores", "des Verts": a plural article makes a name plural ("il" is not them).
            entity.plural = span.start > 0 and self.view.words[span.start - 1] in _PLURAL_ARTICLES
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
            # "le secrétaire général de l'OTAN, Jens Stoltenberg": when the parse links the two, or the
            # phrase before the comma opens a sentence or clause with a role noun.
            before = doc[j - 1] if j > 0 else None
            linked = before is not None and (
                (span.root.head.i < span.start and span.root.dep_ == "appos")
                or before.head.i in range(span.start, span.end)
            )
            roles = view.lex.word_set("roles")
            start = j - 1
            while start > view.sent_start[span.start] and doc[start - 1].pos_ not in {"PUNCT", "VERB", "AUX"}:
                start -= 1
            role_phrase = doc[start].pos_ == "DET" and any(
                view.words[k] in roles or fold(doc[k].lemma_) in roles for k in range(start, j)
            )
            j = j - 1 if linked or role_phrase else -1
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

    def _gender_of_words(self, words: list[str]) -> str:
        """ "board spokeswoman" → f (languages without grammatical gender list such nouns)."""
        lex = self.view.lex
        if any(w in lex.word_set("feminine_nouns") for w in words):
            return "f"
        return "m" if any(w in lex.word_set("masculine_nouns") for w in words) else "x"

    def _gender_from_title(self, span: Span, first: int) -> None:
        doc = self.view.doc
        nouns = [k for k in range(first, span.start) if doc[k].pos_ == "NOUN"]
        if nouns and "Fem" in doc[nouns[0]].morph.get("Gender", []):
            self._by_key["per:" + plain(span[-1].text)].gender = "f"

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
        given = first_names().get(mention.name.split()[0]) if mention.name.split() else None
        person = (
            (mention.kind == "pronoun" and mention.head not in {"it", "ils", "they"})
            or mention.head in roles
            or given is not None
        )
        entity = DiscourseEntity(
            mention.name,
            mention.name_start if mention.name_start is not None else mention.start,
            mention.name_end if mention.name_end is not None else mention.end,
            person=person,
            gender=given or mention.gender,
            plural=mention.plural,
        )
        entity.positions.append((at, True))
        entity.spoke_at.append(at)
        self.entities.append(entity)


def strip_determiner(text: str, view: DocView) -> str:
    words = text.split()
    while len(words) > 1 and fold(words[0]) in view.lex.word_set("definite_determiners"):
        words = words[1:]
    out = " ".join(words)
    for elided in ("l'", "l’", "L'", "L’"):
        if out.startswith(elided) and len(out) > 2:
            out = out[2:]
    return out


def _other_given_name(known: str, name: str) -> bool:
    """Whether two names of one surname start with different given names (not titles or initials)."""
    first, other = known.split()[0], name.split()[0]
    if known.count(" ") == 0 or name.count(" ") == 0:
        return False

    def given(word: str) -> bool:
        folded = fold(word)
        return len(word) > 2 and word[0].isupper() and folded not in _FEMININE_TITLES | _MASCULINE_TITLES

    return given(first) and given(other) and fold(first) != fold(other)
