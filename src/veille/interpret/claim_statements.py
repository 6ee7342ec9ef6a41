"""Statements: the units claims are made of.

A statement is a reported content with its source chain — one per attribution of
``veille_quotes`` — or a sentence in which the outlet itself uses the press conditional
("le 1er diplomate US aurait abusé …"), which reports an allegation without asserting it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from veille.annotate.attribution import Attribution, Mention, sentences, text_of
from veille.annotate.doc_cache import char_span, token_table
from veille.annotate.event_scheme import join_hyphenated
from veille.annotate.quote_lexicon import Lexicon, fold, folded_words
from veille.interpret.quotes import quote_id

_KEY_POS: frozenset[str] = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
_NOUN_POS: frozenset[str] = frozenset({"NOUN", "PROPN"})
_ANAPHORIC_STARTS: frozenset[str] = frozenset({"cela", "ceci", "ce", "ça", "this", "that", "it", "these"})
_MODALS: frozenset[str] = frozenset(
    {"pouvoir", "devoir", "vouloir", "falloir", "aimer", "préférer", "souhaiter"}
)
_CONDITIONS: frozenset[str] = frozenset({"si", "s'", "if", "unless", "sinon"})
_SUBJECT_DEPS: frozenset[str] = frozenset({"nsubj", "nsubj:pass", "csubj", "expl:subj"})
_OBJECT_DEPS: frozenset[str] = frozenset({"obj", "obl:arg"})


@lru_cache(maxsize=1 << 16)  # called on every content word of every statement: words repeat
def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", fold(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(slots=True)
class Statement:
    start: int  # reported content
    end: int
    sent_start: int  # the sentence(s) that report it
    sent_end: int
    speaker: str | None
    speaker_kind: str | None  # name | pronoun | description | indefinite | inherited
    chain: list[str]
    chain_spans: list[tuple[int, int, str]]  # (start, end, role) of origin and relay mentions
    verb_class: str | None
    verb: str | None
    conditional: bool
    lemmas: frozenset[str]
    nouns: frozenset[str] = frozenset()  # the nouns and names among ``lemmas``
    quote_id: str | None = None
    record: Attribution | None = None
    falsity: bool = False  # the content says a report is false
    restatement: tuple[int, int] | None = None  # "les informations diffusées sur …" inside a denial
    anaphoric: bool = False  # starts with "cela", "this": continues the previous statement
    paragraph: int = 0
    members: list[Statement] = field(default_factory=list)


def content_lemmas(span: Span, lex: Lexicon, *, pos: frozenset[str] = _KEY_POS) -> frozenset[str]:
    """Normalised content lemmas of a span: the basis of claim keys and of content overlap."""
    stop = lex.word_set("key_stopwords")
    table = token_table(span.doc)  # the token arrays: no Token built per word
    out = set()
    for i in range(span.start, span.end):
        tag = table.pos[i]
        if tag not in pos or (table.is_stop[i] and tag != "PROPN"):
            continue
        lemma = plain(table.lemmas[i] if tag != "PROPN" else table.texts[i])
        if len(lemma) < 2 or lemma in stop or lemma in lex.verbs:
            continue
        out.add(lemma)
    return frozenset(out)


def _paragraph(doc: Doc, char: int) -> int:
    return text_of(doc).count("\n\n", 0, char)


def _names(mentions: list[Mention]) -> list[str]:
    return [m.name for m in mentions if m.name]


def _falsity(span: Span, lex: Lexicon, words: list[str]) -> tuple[bool, tuple[int, int] | None]:
    """Whether a content calls something false, and the phrase naming what it calls false."""
    falsity = lex.phrase("falsity")
    hit = falsity.find(words, span.start, span.end)
    if hit is None:
        return False, None
    content_words = [t for t in span if not t.is_punct and not t.is_space]
    if len(content_words) <= 4:
        return True, None  # « complètement fausses »: a label given to a report
    speech = lex.word_set("speech_nouns")
    nouns = [t for t in span if t.i < hit and (fold(t.text) in speech or fold(t.lemma_) in speech)]
    if not nouns:
        return False, None
    first = nouns[0]
    start = first.i
    while start > span.start and span.doc[start - 1].pos_ in {"DET", "ADJ"}:
        start -= 1
    last = hit - 1
    while last > first.i and (span.doc[last].pos_ in {"AUX", "ADV", "PUNCT"} or span.doc[last].is_space):
        last -= 1
    return True, (span.doc[start].idx, span.doc[last].idx + len(span.doc[last].text))


def _dismissed(doc: Doc, span: Span, record: Attribution, lex: Lexicon, words: list[str]) -> bool:
    """A short label that dismisses a report, given by a verb of naming: "a qualifié ces informations
    de « spéculations »", "called the reports 'a hoax'". The report is named before the label (a
    speech noun, or an object pronoun: "les a qualifiées de")."""
    if record.verb is None or record.verb.lemma not in lex.word_set("label_verbs"):
        return False
    if sum(1 for t in span if not t.is_punct and not t.is_space) > 4:
        return False
    labels = lex.phrase("dismissive_labels")
    if labels.find(words, span.start, span.end) is None or record.cue_start is None:
        return False
    before = char_span(doc, record.evidence_start, span.start_char, alignment_mode="expand")
    if before is None:
        return False
    speech = lex.word_set("speech_nouns")
    return any(
        fold(t.text) in speech or fold(t.lemma_) in speech or (t.pos_ == "PRON" and t.dep_ in {"obj", "dobj"})
        for t in before
    )


def from_attributions(doc: Doc, records: list[Attribution], lex: Lexicon) -> list[Statement]:
    out: list[Statement] = []
    words = folded_words(doc) if records else []
    for record in records:
        span = char_span(doc, record.content_start, record.content_end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        chain_spans: list[tuple[int, int, str]] = []
        chain: list[str] = []
        for mention in record.origins:
            chain_spans.append((mention.start, mention.end, "origin"))
        chain.extend(_names(record.origins))
        if record.speaker is not None and record.speaker.name:
            chain.append(record.speaker.name)
        for mention in record.via:
            chain_spans.append((mention.start, mention.end, "relay"))
        chain.extend(_names(record.via))
        falsity, restatement = _falsity(span, lex, words)
        falsity = falsity or _dismissed(doc, span, record, lex, words)
        first_word = fold(span[0].text) if len(span) else ""
        out.append(
            Statement(
                start=record.content_start,
                end=record.content_end,
                sent_start=record.evidence_start,
                sent_end=record.evidence_end,
                speaker=record.speaker.name if record.speaker is not None else None,
                speaker_kind=record.speaker.kind if record.speaker is not None else None,
                chain=list(dict.fromkeys(chain)),
                chain_spans=chain_spans,
                verb_class=record.verb.cls if record.verb is not None else None,
                verb=record.cue,
                conditional=record.conditional,
                lemmas=content_lemmas(span, lex),
                nouns=content_lemmas(span, lex, pos=_NOUN_POS),
                quote_id=quote_id(record.start, record.end, text_of(doc)[record.start : record.end]),
                record=record,
                falsity=falsity or (record.verb is not None and record.verb.cls == "denial"),
                restatement=restatement,
                anaphoric=first_word in _ANAPHORIC_STARTS,
                paragraph=_paragraph(doc, record.start),
            )
        )
    return out


def outlet_conditionals(doc: Doc, lex: Lexicon, covered: list[tuple[int, int]]) -> list[Statement]:
    """Sentences where the outlet reports with the press conditional ("aurait abusé", "serait mort")."""
    if lex.lang != "fr":
        return []
    out: list[Statement] = []
    words = folded_words(doc)
    table = token_table(doc)
    for sent in sentences(doc):
        for piece in _lines(sent):
            if any(s < piece.end_char and piece.start_char < e for s, e in covered):
                continue
            tokens = range(piece.start, piece.end)
            if any(words[i] in _CONDITIONS for i in tokens):
                continue
            # Only a word whose morphology says conditional can be one: a Token is built for those only.
            hedged = [i for i in tokens if "Cnd" in table.morphs[i] and _press_conditional(doc[i])]
            if not hedged:
                continue
            start, end = _trim(piece)
            sent_start = start
            reporter = _reporter(doc, hedged[0], lex, piece)
            if reporter is not None:  # "Des témoins ont fait état d'une explosion, qui aurait …"
                start = reporter.content_start
            span = char_span(doc, start, end, alignment_mode="expand")
            if span is None:
                continue
            out.append(
                Statement(
                    start=start,
                    end=end,
                    sent_start=sent_start,
                    sent_end=end,
                    speaker=reporter.name if reporter else None,
                    speaker_kind=reporter.kind if reporter else None,
                    chain=[reporter.name] if reporter else [],
                    chain_spans=[(reporter.start, reporter.end, "origin")] if reporter else [],
                    verb_class=None,
                    verb=None,
                    conditional=True,
                    lemmas=content_lemmas(span, lex),
                    nouns=content_lemmas(span, lex, pos=_NOUN_POS),
                    paragraph=_paragraph(doc, start),
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class _Reporter:
    name: str
    kind: str  # name | description
    start: int  # the subject's words
    end: int
    content_start: int  # the reported thing: the object of the reporting verb


def _reporter(doc: Doc, hedged: int, lex: Lexicon, piece: Span) -> _Reporter | None:
    """The subject of a reporting verb whose object holds the conditional: the conditional is then
    that source's report, not the outlet's ("Des témoins ont fait état d'une explosion près du port,
    qui aurait fait dix blessés": the witnesses report the explosion and its toll).

    Only a noun or a name as subject (a pronoun would need its antecedent), and not a denial verb
    (what is denied is a cue of the claim, read elsewhere)."""
    child = doc[hedged]
    for _ in range(8):
        head = child.head
        if head.i == child.i or not piece.start <= head.i < piece.end:
            return None
        hit = lex.verb_at(doc, head.i, strict=True)
        if hit is not None:
            # The report is an object of the verb, or of the noun of a multiword cue ("fait état de").
            child = _antecedent(child, head) or child
            if child.dep_ in _SUBJECT_DEPS or hit.verb.cls == "denial" or child.pos_ not in _NOUN_POS:
                return None
            subject = next((t for t in head.children if t.dep_ in _SUBJECT_DEPS), None)
            if subject is None or subject.pos_ not in _NOUN_POS:
                return None
            words = [t for t in subject.subtree if not t.is_punct and t.i < head.i]
            while words and words[0].pos_ in {"DET", "ADP"}:
                words = words[1:]
            content = [t for t in child.subtree if t.pos_ != "ADP" or t.i > child.i]
            if not words or not content:
                return None
            start, end = join_hyphenated(doc, words[0].i, words[-1].i + 1)  # "Rami Abd al-Rahman"
            first, last = doc[start], doc[end - 1]
            return _Reporter(
                name=text_of(doc)[first.idx : last.idx + len(last.text)],
                kind="name" if subject.pos_ == "PROPN" else "description",
                start=first.idx,
                end=last.idx + len(last.text),
                content_start=content[0].idx,
            )
        child = head
    return None


def _antecedent(clause: Token, verb: Token) -> Token | None:
    """The object of ``verb`` that a relative clause hung on the verb by the parser is about: "ont
    signalé des arrestations, qui auraient visé …" is parsed with "visé" under "signalé"."""
    if clause.pos_ not in {"VERB", "AUX"} or clause.dep_ not in {"advcl", "acl", "acl:relcl", "parataxis"}:
        return None
    if not any(t.dep_ in _SUBJECT_DEPS and "Rel" in t.morph.get("PronType", []) for t in clause.children):
        return None
    objects = [t for t in verb.children if t.dep_ in _OBJECT_DEPS and t.i < clause.i and t.pos_ in _NOUN_POS]
    return objects[-1] if objects else None


def _press_conditional(token: Token) -> bool:
    """A conditional auxiliary of a past participle, or a conditional main verb that is no modal."""
    if "Cnd" not in token.morph.get("Mood", []) or token.lemma_ in _MODALS:
        return False
    if token.pos_ == "AUX" and token.lemma_ in {"avoir", "être"}:
        head = token.head if token.dep_.startswith("aux") else None
        following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        return (
            (head is not None and head.lemma_ not in _MODALS)
            or (following is not None and "Part" in following.morph.get("VerbForm", []))
            or token.dep_ == "ROOT"
        )
    return token.pos_ == "VERB" and token.dep_ == "ROOT"


def _lines(sent: Span) -> list[Span]:
    out = []
    start = sent.start
    texts = token_table(sent.doc).texts
    for i in range(sent.start, sent.end):
        # (A token's whitespace_ is "" or " ": a line break is a token of its own.)
        if "\n" in texts[i]:
            if i + 1 > start:
                out.append(sent.doc[start : i + 1])
            start = i + 1
    if start < sent.end:
        out.append(sent.doc[start : sent.end])
    return out


def _trim(span: Span) -> tuple[int, int]:
    tokens = [t for t in span if not t.is_space]
    while tokens and tokens[0].pos_ in {"CCONJ", "PUNCT"}:
        tokens = tokens[1:]
    if not tokens:
        return span.start_char, span.end_char
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
