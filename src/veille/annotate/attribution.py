"""Shared pieces of the attribution rules: the records they produce and a view of the Doc.

An :class:`Attribution` is one quotation or reported statement with character offsets into the
text: the quoted words, the wider reported content (for claims), the cue (verb or "selon"), the
speaker mention and the relays and origins of its source chain. The rules in ``quote_direct``
and ``quote_indirect`` fill them; ``coref`` resolves their speaker mentions to names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from veille.annotate.doc_cache import char_span, doc_text, memo, token_table
from veille.annotate.quote_lexicon import Lexicon, ReportingVerb, fold, folded_words
from veille.annotate.quote_marks import QuoteSpan, find_quote_spans

# Token POS allowed inside a noun phrase naming a speaker ("le site d'information Avia.pro").
NP_POS: frozenset[str] = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "X", "SYM"})
NP_JOINERS: frozenset[str] = frozenset(
    {"de", "d'", "du", "des", "au", "aux", "of", "for", "at", "-", "&", "'s"}
)
SENTENCE_END: frozenset[str] = frozenset({".", "!", "?", ";", "…"})
OPEN_MARKS: frozenset[str] = frozenset({"«", "“", "„", "‹", '"', "‘"})


def noun_gender(noun: Token) -> str:
    """m, f or x: the gender its determiner shows, else the noun's own.

    French nouns of office are often of both genders ("la ministre", "une juge") and the tagger
    gives the noun the masculine; the article agrees with the person meant.
    """
    for child in noun.children:
        if child.dep_ == "det":
            told = child.morph.get("Gender", [])
            if told:
                return "f" if "Fem" in told else "m"
    return morph_gender(noun)


def morph_gender(token: Token) -> str:
    """m, f or x: the gender the tagger gave ``token``."""
    gender = token.morph.get("Gender", [])
    return "f" if "Fem" in gender else "m" if "Masc" in gender else "x"


@dataclass(slots=True)
class Mention:
    """Words naming a speaker or a relay, and (after coreference) whom they name."""

    start: int
    end: int
    text: str
    kind: str  # name | pronoun | description | indefinite | inherited
    head: str = ""  # folded head word ("ministère", "il")
    name: str | None = None
    name_start: int | None = None
    name_end: int | None = None
    gender: str = "x"  # m | f | x
    plural: bool = False


@dataclass(slots=True)
class Attribution:
    start: int  # the quotation (quoted words, or the reported clause for indirect speech)
    end: int
    type: str  # direct | indirect | mixed
    content_start: int  # the whole reported content (e.g. the "que …" clause around a quoted fragment)
    content_end: int
    evidence_start: int  # the sentence(s) that carry quote, cue and speaker
    evidence_end: int
    rule: str  # which rule found it (explainability, error analysis)
    verb: ReportingVerb | None = None
    cue: str | None = None  # the cue lemma ("prétendre", "selon")
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: Mention | None = None
    via: list[Mention] = field(default_factory=list)
    origins: list[Mention] = field(default_factory=list)
    group: int = -1  # quotes running over several paragraphs or interrupted by an incise share a group
    conditional: bool = False  # the content uses the press conditional or a hedge
    negated: bool = False
    inherit_from: Attribution | None = None  # the neighbour whose speaker a cue-less quote took


class DocView:
    """Per-Doc lookups the rules share: folded words, quote spans, sentences, paragraphs."""

    def __init__(self, doc: Doc, lexicon: Lexicon, *, max_quote_depth: int = 8) -> None:
        self.doc = doc
        self.lex = lexicon
        self.words = folded_words(doc)  # shared with the other readers of this Doc: never mutated
        self.table = table = token_table(doc)
        self.quotes: list[QuoteSpan] = find_quote_spans(text_of(doc), max_depth=max_quote_depth)
        n = len(doc)
        self.in_quote = [-1] * n  # index of the outer quote a token lies in (marks excluded)
        self.mark_of = [-1] * n  # index of the quote whose opening/closing mark the token is
        for qi, q in enumerate(self.quotes):
            first = self.token_at(q.start)
            last = self.token_before(q.end)
            if first is None or last is None:
                continue
            for i in range(first, last + 1):
                self.in_quote[i] = qi
            for at in (q.open, q.close):
                ti = self.token_at(at) if at >= 0 else None
                if ti is not None and self.in_quote[ti] == -1:
                    self.mark_of[ti] = qi
        self.sent_start = [0] * n
        self.sent_end = [n] * n
        for sent in _sentences(doc):
            for i in range(sent.start, sent.end):
                self.sent_start[i] = sent.start
                self.sent_end[i] = sent.end
        self.paragraph = [0] * n
        para = 0
        # (A token's trailing whitespace_ is at most one space in spaCy: line breaks are tokens.)
        for i, (text, space) in enumerate(zip(table.texts, table.is_space, strict=True)):
            self.paragraph[i] = para
            if "\n" in text and space:
                para += 1

    def token_at(self, char: int) -> int | None:
        """Index of the token starting at or containing ``char`` (the next one when on a space)."""
        span = char_span(self.doc, char, char + 1, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return int(span.start)

    def token_before(self, char: int) -> int | None:
        """Index of the token containing the character just before ``char``."""
        if char <= 0:
            return None
        span = char_span(self.doc, char - 1, char, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return int(span.end) - 1

    def cue_text(self, first: int, end: int) -> str:
        """Folded words of a cue phrase, elisions joined ("d'après")."""
        return " ".join(self.words[first:end]).replace("' ", "'")

    def is_final(self, i: int) -> bool:
        return self.words[i] in SENTENCE_END or "\n" in self.table.texts[i]

    def paragraph_break_after(self, i: int) -> bool:
        # A token's whitespace_ is "" or " ": a line break after it is the next (space) token.
        return i + 1 < len(self.doc) and self.table.is_space[i + 1]

    def mention(self, first: int, last: int, *, kind: str | None = None) -> Mention:
        """A mention over tokens ``first..last`` (inclusive), classified if ``kind`` is None."""
        if kind is None:
            first, last = self._author_of_document(first, last)
        span = self.doc[first : last + 1]
        head = _head_word(span)
        folded_first = self.words[first]
        if kind is None:
            if folded_first in self.lex.pronouns and first == last:
                kind = "pronoun"
            elif any(
                (t.pos_ == "PROPN" or t.ent_type_)
                and self.words[t.i] not in self.lex.word_set("generic_org_nouns")
                for t in span
            ) and _name_outside_pp(span):
                kind = "name"  # ("l'ONG" is a description: tagged PROPN, it names no one)
            elif folded_first in self.lex.word_set("definite_determiners"):
                kind = "description"
            else:
                kind = "indefinite"
        mention = Mention(span.start_char, span.end_char, span.text, kind, head=head)
        if kind == "pronoun":
            features = self.lex.pronouns.get(folded_first, "xs")
            mention.gender, mention.plural = features[0], features[1] == "p"
        else:
            mention.gender = noun_gender(span.root)
            mention.plural = "Plur" in span.root.morph.get("Number", [])
        return mention

    def _author_of_document(self, first: int, last: int) -> tuple[int, int]:
        """ "a statement from the African Union", "un communiqué publié par X": the author speaks."""
        doc = self.doc
        head = _head_word(doc[first : last + 1])
        if head not in self.lex.word_set("speech_nouns") or any(
            doc[k].pos_ == "PROPN" for k in range(first, last + 1)
        ):
            return first, last
        end = min(self.sent_end[last], last + 10)
        for k in range(last + 1, end):
            if self.in_quote[k] >= 0 or self.words[k] in {",", ";", ":"} or self.mark_of[k] >= 0:
                break
            if self.words[k] in {"from", "by", "par"}:
                from veille.annotate.attribution_np import surface_np_after  # (imports this module)

                author = surface_np_after(self, k + 1)
                if author is not None and any(
                    doc[t].pos_ == "PROPN" or doc[t].ent_type_ for t in range(author[0], author[1] + 1)
                ):
                    return author
                break
            if doc[k].pos_ in {"VERB", "AUX"} and "Fin" in doc[k].morph.get("VerbForm", []):
                break
        return first, last


def text_of(doc: Doc) -> str:
    """The Doc's text, joined once (``Doc.text`` rebuilds it from the tokens at every access)."""
    return doc_text(doc)


def sentences(doc: Doc) -> list[Span]:
    """Sentences as the attribution rules see them (see :func:`_sentences`)."""
    return _sentences(doc)


def _sentences(doc: Doc) -> list[Span]:
    """Sentences, never across a line break (parsers glue short paragraphs together).

    Computed once per Doc (DocView and the claim rules both ask); each caller gets its own list."""
    return list(memo(doc, "sentences", _split_sentences))


def _split_sentences(doc: Doc) -> list[Span]:
    has_sents = doc.has_annotation("SENT_START")
    table = token_table(doc)
    texts, is_space = table.texts, table.is_space
    out: list[Span] = []
    start = 0
    for i, (text, sent_start) in enumerate(zip(texts, table.sent_starts, strict=True)):
        if i > start and has_sents and sent_start and _after_final(texts, is_space, i):
            out.append(doc[start:i])
            start = i
        # A token's whitespace_ is "" or " " in spaCy: a line break is a space token of its own.
        newline = is_space[i] and "\n" in text
        final = not has_sents and text in SENTENCE_END
        if newline or final:
            out.append(doc[start : i + 1])
            start = i + 1
    if start < len(doc):
        out.append(doc[start:])
    return out


def _after_final(texts: list[str], is_space: list[bool], i: int) -> bool:
    """Whether a parser's sentence start follows final punctuation (parsers also cut at « and ,)."""
    j = i - 1
    while j >= 0 and is_space[j] and "\n" not in texts[j]:
        j -= 1
    if j < 0 or "\n" in texts[j]:
        return True
    if texts[j] in {"»", "”", '"', "’", ")"} and j > 0:
        j -= 1
        while j >= 0 and is_space[j]:
            j -= 1
    # A dash ends a dateline ("BAMAKO, 31 janvier 2022 — La junte …", "BEIJING, April 26 (Reuters) -
    # U.S. …", marked by veille_paragraphs).
    return j < 0 or texts[j] in SENTENCE_END or texts[j] in {":", "...", "?!", "!?", "—", "–", "-"}


def _head_word(span: Span) -> str:
    nouns = [t for t in span if t.pos_ in {"NOUN", "PROPN"}]
    token = nouns[0] if nouns else span.root
    return fold(token.lemma_ if token.pos_ == "NOUN" else token.text)


def _name_outside_pp(span: Span) -> bool:
    """Whether a proper name in the phrase names the speaker itself, not a complement.

    "le ministère de la Défense de la Biélorussie" is a description (the names sit after "de");
    "l'agence de presse russe Sputnik" and "Jens Stoltenberg" are names.
    """
    inside_pp = False
    previous = None
    for token in span:
        word = fold(token.text)
        if word == ",":
            inside_pp = False  # an apposition starts: "le secrétaire général de l'OTAN, Jens Stoltenberg"
        elif token.pos_ == "ADP" or word in NP_JOINERS:
            inside_pp = True
        elif token.pos_ == "PROPN" or token.ent_type_:
            # A name right after a common noun is in apposition to it, even inside a PP
            # ("le site d'information Avia.pro", "l'agence de presse russe Sputnik").
            after_name = [t for t in span if t.i > token.i]
            closes = all(t.pos_ in {"PROPN", "X"} or t.ent_type_ for t in after_name)
            if previous is not None and previous.pos_ in {"NOUN", "ADJ"} and not previous.ent_type_:
                if closes:
                    return True
            elif not inside_pp:
                return True
        previous = token
    return False
