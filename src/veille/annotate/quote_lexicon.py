"""The attribution lexicon of one language: reporting verbs with stance, and cue phrases.

Data lives in ``data/lexicons/`` (reporting verbs from the Gender Gap Tracker lists plus veille's
own, each with a class and stance; cue phrases such as "selon", "cité par", falsity and doubt
markers). Everything is compiled once per language (``functools.cache``) into dictionaries keyed
by folded token text, so a lookup is a dict access per token.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Doc, Token

from veille.annotate.doc_cache import memo, token_table
from veille.resources import iter_tsv, load_yaml

LEXICON_LANGUAGES: frozenset[str] = frozenset({"fr", "en"})

# Token POS that can carry a reporting verb. Participles are often tagged ADJ ("a-t-il prétendu")
# or NOUN ("cité"), so those are accepted where the frame around them makes the reading clear.
_VERB_POS: frozenset[str] = frozenset({"VERB", "AUX"})
_LOOSE_POS: frozenset[str] = frozenset({"VERB", "AUX", "ADJ", "NOUN", "X", ""})
# A noun in one of these relations, with its article, is read as a noun: as a clause ("les
# qualifiant de", tagged NOUN + DET) it stays a possible participle.
_NOMINAL_DEPS: frozenset[str] = frozenset(
    {"obj", "dobj", "iobj", "pobj", "nsubj", "nsubj:pass", "nsubjpass", "obl", "obl:arg", "nmod", "appos"}
)
_NEVER_VERB: frozenset[str] = frozenset(
    {"DET", "ADP", "PUNCT", "PRON", "CCONJ", "SCONJ", "NUM", "PROPN", "SPACE"}
)


def fold(text: str) -> str:
    """Lower case with typographic apostrophes made straight: the key of every lookup."""
    if text.isascii():
        return text.lower()  # no typographic apostrophe to straighten (the usual word)
    return text.lower().replace("’", "'").replace("ʼ", "'")


def folded_words(doc: Doc) -> list[str]:
    """``fold`` of every token's text, computed once per Doc and shared by the rules (read only)."""
    return memo(doc, "folded_words", _folded_words)


def _folded_words(doc: Doc) -> list[str]:
    # The lower-cased forms are in the token arrays already: only the rare word with a typographic
    # apostrophe is left to fold (``fold(text) == fold(lower)``: lower-casing twice changes nothing).
    return [w if w.isascii() else fold(w) for w in token_table(doc).lowers]


@dataclass(frozen=True, slots=True)
class ReportingVerb:
    lemma: str
    cls: str  # neutral | distancing | endorsing | denial
    stance: str  # neutral | distancing | endorsing
    indirect: bool  # introduces indirect speech ("a affirmé que …")


@dataclass(frozen=True, slots=True)
class VerbHit:
    verb: ReportingVerb
    first: int  # token index of the verb
    last: int  # token index of the last word of a multiword cue ("faire savoir")


class PhraseSet:
    """Token-sequence phrases, matched at a token position on folded token texts."""

    def __init__(self, phrases: Iterable[Sequence[str]]) -> None:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(fold(w) for w in phrase if w.strip())
            if words:
                by_first.setdefault(words[0], []).append(words)
        # Longest phrase first, so "sans fondement" wins over a shorter prefix.
        self._by_first = {k: sorted(set(v), key=len, reverse=True) for k, v in by_first.items()}

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def match(self, words: Sequence[str], i: int) -> int:
        """Length (in tokens) of the longest phrase starting at ``words[i]``, 0 if none."""
        for phrase in self._by_first.get(words[i], ()):
            n = len(phrase)
            if tuple(words[i : i + n]) == phrase:
                return n
        return 0

    def find(self, words: Sequence[str], start: int, end: int) -> int | None:
        """The first position in ``start``..``end`` where a phrase starts, or None."""
        by_first = self._by_first  # one dict probe per word; most words start no phrase
        return next((i for i in range(start, end) if words[i] in by_first and self.match(words, i)), None)


@cache
def _tokenizer(lang: str) -> Any:
    import spacy

    return spacy.blank(lang).tokenizer


def _phrases(lang: str, items: Iterable[str]) -> PhraseSet:
    tokenizer = _tokenizer(lang)
    return PhraseSet([t.text for t in tokenizer(item)] for item in items)


@dataclass(frozen=True)
class Lexicon:
    lang: str
    verbs: Mapping[str, ReportingVerb]
    forms: Mapping[str, str]  # single-word form → lemma
    multi: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]  # first word → ((rest…), lemma)
    phrases: Mapping[str, PhraseSet]
    words: Mapping[str, frozenset[str]]
    pronouns: Mapping[str, str]  # folded pronoun → gender+number ("ms", "fp", …)
    role_groups: tuple[frozenset[str], ...]
    nationality_groups: tuple[frozenset[str], ...]

    def phrase(self, name: str) -> PhraseSet:
        return self.phrases[name]

    def word_set(self, name: str) -> frozenset[str]:
        return self.words[name]

    def may_be_verb(self, doc: Doc, i: int) -> bool:
        """False when token ``i`` can be no reporting verb whatever its tag (neither its form nor its
        lemma is listed): told from arrays computed once per Doc, before building a Token."""
        return self.verb_candidates(doc)[i]

    def verb_candidates(self, doc: Doc) -> list[bool]:
        """:meth:`may_be_verb` of every token (computed once per Doc; read only)."""
        return memo(doc, f"reporting_verb_words:{self.lang}:{id(self)}", self._listed_words)

    def _listed_words(self, doc: Doc) -> list[bool]:
        lemmas = token_table(doc).lemmas
        verbs = self.verbs
        return [
            key in self.multi or key in self.forms or fold(lemma) in verbs
            for key, lemma in zip(folded_words(doc), lemmas, strict=True)
        ]

    def verb_at(self, doc: Doc, i: int, *, strict: bool) -> VerbHit | None:
        """The reporting verb whose (first) word is token ``i``, if any.

        ``strict`` asks for a verbal POS (indirect speech needs a real verb); otherwise participles
        mis-tagged as adjective or noun are accepted (used right next to a quote mark).
        """
        if not self.may_be_verb(doc, i):
            return None
        token = doc[i]
        key = fold(token.text)
        allowed = _VERB_POS if strict else _LOOSE_POS
        # Next to a quote a listed form is trusted whatever the tagger says ("dément" read as ADV).
        trusted = not strict and key in self.forms and token.pos_ not in _NEVER_VERB
        if token.pos_ not in allowed and not _participle(token) and not trusted:
            return None
        if (
            not strict
            and token.pos_ == "NOUN"
            and token.dep_ in _NOMINAL_DEPS
            and any(c.dep_ == "det" for c in token.children)
        ):
            return None  # "called the reports « a hoax »": an object with its article is no verb
        for rest, multi_lemma in self.multi.get(key, ()):
            words = [fold(t.text) for t in doc[i + 1 : i + 1 + len(rest)]]
            if tuple(words) == rest:
                return VerbHit(self.verbs[multi_lemma], i, i + len(rest))
        lemma = self.forms.get(key)
        if lemma is None:
            candidate = fold(token.lemma_)
            lemma = candidate if candidate in self.verbs and " " not in candidate else None
        if lemma is None:
            return None
        return VerbHit(self.verbs[lemma], i, i)

    def roles_equivalent(self, a: str, b: str) -> bool:
        """Whether two role phrases name the same office ("diplomate" ~ "secrétaire d'état")."""
        if a == b or a in b or b in a:
            return True
        return any(_in_group(a, g) and _in_group(b, g) for g in self.role_groups)

    def nationality_compatible(self, a: str, b: str) -> bool:
        groups_a = {i for i, g in enumerate(self.nationality_groups) if a in g}
        groups_b = {i for i, g in enumerate(self.nationality_groups) if b in g}
        return not groups_a or not groups_b or bool(groups_a & groups_b)


def _in_group(phrase: str, group: frozenset[str]) -> bool:
    return any(member == phrase or member in phrase for member in group)


def _participle(token: Token) -> bool:
    return "Part" in token.morph.get("VerbForm", [])


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The compiled lexicon of ``lang`` (English rules serve languages without their own lexicon)."""
    lang = lang if lang in LEXICON_LANGUAGES else "en"
    verbs: dict[str, ReportingVerb] = {}
    for row in iter_tsv(f"lexicons/reporting_verbs_{lang}.tsv"):
        verbs[row["lemma"]] = ReportingVerb(
            lemma=row["lemma"], cls=row["class"], stance=row["stance"], indirect="i" in row["frames"]
        )
    forms: dict[str, str] = {}
    multi: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for row in iter_tsv(f"lexicons/reporting_verb_forms_{lang}.tsv"):
        lemma, form, rest = row["lemma"], fold(row["form"]), (row.get("rest") or "").strip()
        if lemma not in verbs:
            continue
        if rest:
            multi.setdefault(form, []).append((tuple(fold(w) for w in rest.split()), lemma))
        else:
            forms.setdefault(form, lemma)
    cues: dict[str, Any] = load_yaml(f"lexicons/attribution_{lang}.yaml")
    phrase_keys = (
        "source_markers",
        "relay_markers",
        "origin_markers",
        "hedges",
        "falsity",
        "denial_nouns",
        "confirmation",
        "doubt",
        "support",
        "complement_breaks",
        "parentheticals",
        "opinion_markers",
        "outlet_markers",
        "dismissive_labels",
    )
    phrases = {key: _phrases(lang, cues.get(key) or ()) for key in phrase_keys}
    word_keys = (
        "channel_prepositions",
        "speech_nouns",
        "source_nouns",
        "anaphoric_sources",
        "roles",
        "first_person",
        "definite_determiners",
        "key_stopwords",
        "not_sources",
        "time_nouns",
        "generic_org_nouns",
        "feminine_nouns",
        "masculine_nouns",
        "quoted_verbs",
        "label_verbs",
        "impersonal_pronouns",
        "relative_pronouns",
        "nickname_cues",
    )
    words = {key: frozenset(fold(w) for w in cues.get(key) or ()) for key in word_keys}
    return Lexicon(
        lang=lang,
        verbs=verbs,
        forms=forms,
        multi={k: tuple(v) for k, v in multi.items()},
        phrases=phrases,
        words=words,
        pronouns={fold(k): str(v) for k, v in (cues.get("pronouns") or {}).items() if " " not in k},
        role_groups=tuple(frozenset(fold(w) for w in g) for g in cues.get("role_synonyms") or ()),
        nationality_groups=tuple(
            frozenset(fold(w) for w in g) for g in cues.get("nationality_equivalents") or ()
        ),
    )
