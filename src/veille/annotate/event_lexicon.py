"""The event patterns of one language (``data/events/patterns_<lang>.yaml``), compiled once.

The YAML says which predicates (verb lemmas, nominal predicates) denote which CAMEO event, where their
source and target are found (roles such as ``subj``, ``obj``, a preposition, ``governor``), and the
conditions that choose between several readings of one word ("envoyer des troupes" → 154, "envoyer
de l'aide" → 070). This module only turns that text into typed, hashable objects; the component
(:mod:`veille.annotate.events`) matches them against the parse. The format is documented in
``data/events/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from spacy.tokens import Token

from veille.errors import ModelError
from veille.resources import load_yaml

Kind = Literal["verb", "noun"]

# Elided French function words: the data writes "d'otage", the tokenizer gives "d'" + "otage".
_ELISIONS = frozenset({"d", "l", "qu", "n", "s", "j", "m", "t", "c", "jusqu", "lorsqu", "puisqu"})
_ELIDED_LEMMA = {"d'": "de", "l'": "le", "qu'": "que", "n'": "ne", "s'": "se", "j'": "je", "m'": "me"}
# Pseudo-roles that are not prepositions.
ROLE_NAMES = frozenset(
    {"subj", "obj", "iobj", "amod", "poss", "governor", "victim", "agent", "complement", "clause_subj"}
)


def norm(word: str) -> str:
    """Lower-case form used for every comparison (typographic apostrophes folded)."""
    word = word.lower()
    if "\u2019" in word:
        word = word.replace("\u2019", "'")
    return _ELIDED_LEMMA.get(word, word) if "'" in word else word


def split_words(text: str) -> tuple[str, ...]:
    """A data entry as a lemma sequence: spaces separate words, French elisions are split off."""
    out: list[str] = []
    for part in norm(text).split():
        if "'" in part:
            head, _, rest = part.partition("'")
            if head in _ELISIONS and rest:
                out.extend((norm(head + "'"), rest))
                continue
        out.append(part)
    return tuple(out)


def token_keys(token: Token) -> tuple[str, ...]:
    """The forms a token can match: its lemma and its surface form (lemmatizers miss news names)."""
    lemma, text = norm(token.lemma_), norm(token.text)
    keys = (lemma,) if lemma == text else (lemma, text)
    if token.tag_ in {"VBD", "VBN"} and text.endswith("ed") and lemma == text[:-1].rstrip("e"):
        # English lemmatizer slips such as "staged" -> "stag": the regular past gives the stem back.
        keys = (*keys, text[:-1])
    elif token.pos_ == "NOUN" and lemma.endswith("s") and len(lemma) > 3:
        # Plural lemmas the lemmatizer left alone ("condoléances"): the singular is the data's form.
        keys = (*keys, lemma[:-1])
    return keys


@dataclass(frozen=True)
class WordSet:
    """Single lemmas plus multi-word entries (matched on the head token and the tokens after it)."""

    singles: frozenset[str] = frozenset()
    multi: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, words: Sequence[str]) -> WordSet:
        seqs = [split_words(w) for w in words if str(w).strip()]
        return cls(
            singles=frozenset(s[0] for s in seqs if len(s) == 1),
            multi=tuple(sorted({s for s in seqs if len(s) > 1}, key=len, reverse=True)),
        )

    def __bool__(self) -> bool:
        return bool(self.singles or self.multi)

    def match(self, token: Token) -> tuple[str, ...] | None:
        """The entry that starts at ``token`` (longest first), or None."""
        keys = token_keys(token)
        doc = token.doc
        for seq in self.multi:
            fits = seq[0] in keys and token.i + len(seq) <= len(doc)
            if fits and all(seq[k] in token_keys(doc[token.i + k]) for k in range(1, len(seq))):
                return seq
        for key in keys:
            if key in self.singles:
                return (key,)
        return None

    def contains(self, token: Token) -> bool:
        return self.match(token) is not None

    def names(self, head: Token) -> bool:
        """Does a phrase headed by ``head`` say one of the entries? Multi-word entries may end on the
        head ("humanitarian aid" for the object "aid") or start on it ("navire de guerre")."""
        if self.match(head) is not None:
            return True
        doc = head.doc
        for seq in self.multi:
            start = head.i - len(seq) + 1
            if start >= 0 and all(seq[k] in token_keys(doc[start + k]) for k in range(len(seq))):
                return True
        return False

    def any_in(self, tokens: Sequence[Token]) -> bool:
        return any(self.match(t) is not None for t in tokens)


EMPTY = WordSet()


@dataclass(frozen=True)
class Conditions:
    """When a frame applies; every condition given must hold (see README for each)."""

    obj_in: WordSet | None = None
    obj_not_in: WordSet | None = None
    obj_kind: str | None = None
    subj_in: WordSet | None = None
    subj_not_in: WordSet | None = None
    subj_kind: str | None = None
    mentions: WordSet | None = None
    not_mentions: WordSet | None = None
    not_in_sentence: WordSet | None = None
    lemma_in: WordSet | None = None
    gov_in: WordSet | None = None
    gov_not_in: WordSet | None = None
    reflexive: bool | None = None
    no_obj: bool = False
    requires_any: tuple[str, ...] = ()
    particle: frozenset[str] | None = None
    not_particle: frozenset[str] | None = None
    not_dep: frozenset[str] | None = None


@dataclass(frozen=True)
class Frame:
    """One reading of a predicate: its CAMEO code and where its arguments are."""

    id: str
    kind: Kind
    trigger: tuple[str, ...]
    code: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    when: Conditions
    target_place: bool = False
    reciprocal: bool = False
    # Governors of a complement event ("menacer de frapper" → 138): code prefix → code, longest first.
    complement: tuple[tuple[str, str], ...] = ()
    complement_nouns: tuple[tuple[WordSet, str], ...] = ()
    keep_complement: tuple[str, ...] = ()
    complement_modality: str | None = None
    # The complement is the content of the act, not a fact ("accusé d'avoir bombardé"): drop it.
    absorbs_complement: bool = False

    @property
    def governs_complement(self) -> bool:
        return bool(
            self.complement or self.complement_nouns or self.keep_complement or self.absorbs_complement
        )


@dataclass(frozen=True)
class Evaluation:
    """Statements whose complement evaluates an actor ("X a affirmé que l'Alliance était ...")."""

    speech_verbs: WordSet
    negative: WordSet
    negative_code: str
    positive: WordSet
    positive_code: str
    # "X said Y must withdraw": a statement of what another party must do is a demand (CAMEO 10).
    obligation_modals: frozenset[str] = frozenset()
    obligation_code: str = "100"


@dataclass(frozen=True)
class Lexicon:
    lang: str
    scheme: str
    verbs: Mapping[str, tuple[Frame, ...]]
    nouns: Mapping[str, tuple[Frame, ...]]
    groups: Mapping[str, WordSet]
    light_verbs: WordSet
    victim_verbs: WordSet
    intent_governors: WordSet
    report_verbs: WordSet
    report_preps: frozenset[str]
    contrast_marks: frozenset[str]
    negation: frozenset[str]
    negation_particles: frozenset[str]
    conditional_words: frozenset[str]
    pair_anaphors: WordSet
    evaluation: Evaluation
    agents: WordSet = field(default=EMPTY)
    time_words: WordSet = field(default=EMPTY)
    # A cooperative act denied in the future or conditional ("will not provide aid") is a rejection.
    negated_intent: tuple[tuple[str, str], ...] = ()
    # A future act announced by someone ("said it will withdraw") is a stated intent (03x) or threat (13x).
    stated_intent: tuple[tuple[str, str], ...] = ()
    # Every word that may start a frame, with the forms lemmatizer slips give (a cheap first filter).
    trigger_keys: frozenset[str] = frozenset()


def _no_booleans(values: Any) -> None:
    """YAML 1.1 reads a bare on/off/yes/no as a boolean: the data must quote such words."""
    items = values if isinstance(values, list) else [values]
    if any(isinstance(v, bool) for v in items):
        raise ModelError("event patterns: quote the words on/off/yes/no, YAML reads them as booleans")


def _words(value: Any, groups: Mapping[str, WordSet]) -> WordSet:
    _no_booleans(value)
    if isinstance(value, str) and value.startswith("@"):
        try:
            return groups[value[1:]]
        except KeyError:
            raise ModelError(f"event patterns: unknown group {value!r}") from None
    if isinstance(value, str):
        return WordSet.of([value])
    items: list[str] = []
    merged: list[WordSet] = []
    for item in value or ():
        if isinstance(item, str) and item.startswith("@"):
            merged.append(_words(item, groups))
        else:
            items.append(str(item))
    result = WordSet.of(items)
    for other in merged:
        result = _union(result, other)
    return result


def _union(a: WordSet, b: WordSet) -> WordSet:
    return WordSet(a.singles | b.singles, tuple(sorted({*a.multi, *b.multi}, key=len, reverse=True)))


def _roles(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    _no_booleans(value)
    items = [value] if isinstance(value, str) else list(value)
    return tuple(" ".join(split_words(str(v))) if str(v) not in ROLE_NAMES else str(v) for v in items)


def _conditions(raw: Mapping[str, Any] | None, groups: Mapping[str, WordSet]) -> Conditions:
    raw = raw or {}
    known = set(Conditions.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise ModelError(f"event patterns: unknown condition(s) {sorted(unknown)}")

    def ws(key: str) -> WordSet | None:
        return _words(raw[key], groups) if key in raw else None

    def fs(key: str) -> frozenset[str] | None:
        if key not in raw:
            return None
        _no_booleans(raw[key])
        return frozenset(norm(str(v)) for v in raw[key])

    return Conditions(
        obj_in=ws("obj_in"),
        obj_not_in=ws("obj_not_in"),
        obj_kind=raw.get("obj_kind"),
        subj_in=ws("subj_in"),
        subj_not_in=ws("subj_not_in"),
        subj_kind=raw.get("subj_kind"),
        mentions=ws("mentions"),
        not_mentions=ws("not_mentions"),
        not_in_sentence=ws("not_in_sentence"),
        lemma_in=ws("lemma_in"),
        gov_in=ws("gov_in"),
        gov_not_in=ws("gov_not_in"),
        reflexive=raw.get("reflexive"),
        no_obj=bool(raw.get("no_obj", False)),
        requires_any=_roles(raw.get("requires_any")),
        particle=fs("particle"),
        not_particle=fs("not_particle"),
        not_dep=fs("not_dep"),
    )


def _frames(
    entries: Sequence[Mapping[str, Any]], kind: Kind, lang: str, groups: Mapping[str, WordSet]
) -> dict[str, tuple[Frame, ...]]:
    table: dict[str, list[Frame]] = {}
    seen: set[str] = set()
    for entry in entries:
        for lemma in entry["lemmas"]:
            trigger = split_words(str(lemma))
            for raw in entry["frames"]:
                code = str(raw["code"])
                base = f"{lang}.{kind}.{'_'.join(trigger)}.{code}"
                frame_id, n = base, 1
                while frame_id in seen:
                    n += 1
                    frame_id = f"{base}.{n}"
                seen.add(frame_id)
                complement = tuple(
                    sorted(
                        ((str(k), str(v)) for k, v in (raw.get("complement") or {}).items()),
                        key=lambda kv: len(kv[0]),
                        reverse=True,
                    )
                )
                nouns = tuple(
                    (WordSet.of([str(k)]), str(v)) for k, v in (raw.get("complement_nouns") or {}).items()
                )
                table.setdefault(trigger[0], []).append(
                    Frame(
                        id=frame_id,
                        kind=kind,
                        trigger=trigger,
                        code=code,
                        source=_roles(raw.get("source")),
                        target=_roles(raw.get("target")),
                        when=_conditions(raw.get("when"), groups),
                        target_place=bool(raw.get("target_place", False)),
                        reciprocal=bool(raw.get("reciprocal", False)),
                        complement=complement,
                        complement_nouns=nouns,
                        keep_complement=tuple(str(k) for k in raw.get("keep_complement") or ()),
                        complement_modality=raw.get("complement_modality"),
                        absorbs_complement=bool(raw.get("absorbs_complement", False)),
                    )
                )
    # Longer triggers first under one head word, so "mettre en garde" is tried before "mettre".
    return {k: tuple(sorted(v, key=lambda f: -len(f.trigger))) for k, v in table.items()}


def _flat(values: Any) -> frozenset[str]:
    _no_booleans(values or [])
    return frozenset(" ".join(split_words(str(v))) for v in values or ())


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The compiled patterns of ``lang`` (English patterns for a language without its own file)."""
    try:
        raw = load_yaml(f"events/patterns_{lang}.yaml")
    except ModelError:
        raw = load_yaml("events/patterns_en.yaml")
    groups: dict[str, WordSet] = {}
    for name, words in (raw.get("groups") or {}).items():
        groups[name] = WordSet.of([str(w) for w in words])
    evaluation = raw.get("evaluation") or {}
    neg, pos = evaluation.get("negative") or {}, evaluation.get("positive") or {}
    obligation = evaluation.get("obligation") or {}
    verbs = _frames(raw.get("verbs") or (), "verb", raw["lang"], groups)
    nouns = _frames(raw.get("nouns") or (), "noun", raw["lang"], groups)
    keys = set(verbs) | set(nouns)
    # "reproche" for "reprocher", "stag" for "stage", apostrophe variants: see token_keys.
    keys |= {k[:-1] for k in verbs if k.endswith("r")} | {k[:-1] for k in verbs}
    keys |= {k.replace("'", "\u2019") for k in keys if "'" in k}
    return Lexicon(
        lang=str(raw["lang"]),
        scheme=str(raw.get("scheme", "ud")),
        verbs=verbs,
        nouns=nouns,
        trigger_keys=frozenset(keys),
        groups=groups,
        light_verbs=_words(raw.get("light_verbs"), groups),
        victim_verbs=_words(raw.get("victim_verbs"), groups),
        intent_governors=_words(raw.get("intent_governors"), groups),
        report_verbs=_words(raw.get("report_verbs"), groups),
        report_preps=_flat(raw.get("report_preps")),
        contrast_marks=_flat(raw.get("contrast_marks")),
        negation=_flat(raw.get("negation")),
        negation_particles=_flat(raw.get("negation_particles")),
        conditional_words=_flat(raw.get("conditional_words")),
        pair_anaphors=_words(raw.get("pair_anaphors"), groups),
        evaluation=Evaluation(
            speech_verbs=_words(evaluation.get("speech_verbs"), groups),
            negative=_words(neg.get("cues"), groups),
            negative_code=str(neg.get("code", "111")),
            positive=_words(pos.get("cues"), groups),
            positive_code=str(pos.get("code", "051")),
            obligation_modals=_flat(obligation.get("modals")),
            obligation_code=str(obligation.get("code", "100")),
        ),
        agents=_union(groups.get("agents", EMPTY), groups.get("people", EMPTY)),
        time_words=groups.get("time", EMPTY),
        negated_intent=_prefix_map(raw.get("negated_intent")),
        stated_intent=_prefix_map(raw.get("stated_intent")),
    )


def _prefix_map(value: Any) -> tuple[tuple[str, str], ...]:
    """A code-prefix → code mapping, longest prefix first."""
    pairs = ((str(k), str(v)) for k, v in (value or {}).items())
    return tuple(sorted(pairs, key=lambda kv: len(kv[0]), reverse=True))
