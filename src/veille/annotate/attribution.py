"""Shared pieces of the attribution rules: the records they produce and a view of the Doc.

An :class:`Attribution` is one quotation or reported statement with character offsets into the
text: the quoted words, the wider reported content (for claims), the cue (verb or "selon"), the
speaker mention and the relays and origins of its source chain. The rules in ``quote_direct``
and ``quote_indirect`` fill them; ``coref`` resolves their speaker mentions to names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from veille.annotate.doc_cache import doc_text, memo, token_table
from veille.annotate.quote_lexicon import Lexicon, ReportingVerb, fold, folded_words
from veille.annotate.quote_marks import QuoteSpan, find_quote_spans

# Token POS allowed inside a noun phrase naming a speaker ("le site d'information Avia.pro").
NP_POS: frozenset[str] = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "X", "SYM"})
# Subtree dependents that are not part of a speaker's name ("le ministère cité par …", "qui …").
_NP_CUT: frozenset[str] = frozenset(
    {"acl", "acl:relcl", "relcl", "advcl", "punct", "cc", "parataxis", "ccomp", "xcomp", "obl", "obl:mod"}
)
NP_JOINERS: frozenset[str] = frozenset(
    {"de", "d'", "du", "des", "au", "aux", "of", "for", "at", "-", "&", "'s"}
)
SENTENCE_END: frozenset[str] = frozenset({".", "!", "?", ";", "…"})
OPEN_MARKS: frozenset[str] = frozenset({"«", "“", "„", "‹", '"', "‘"})


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
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return int(span.start)

    def token_before(self, char: int) -> int | None:
        """Index of the token containing the character just before ``char``."""
        if char <= 0:
            return None
        span = self.doc.char_span(char - 1, char, alignment_mode="expand")
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
        span = self.doc[first : last + 1]
        head = _head_word(span)
        folded_first = self.words[first]
        if kind is None:
            if folded_first in self.lex.pronouns and first == last:
                kind = "pronoun"
            elif any(t.pos_ == "PROPN" or t.ent_type_ for t in span) and _name_outside_pp(span):
                kind = "name"
            elif folded_first in self.lex.word_set("definite_determiners"):
                kind = "description"
            else:
                kind = "indefinite"
        mention = Mention(span.start_char, span.end_char, span.text, kind, head=head)
        if kind == "pronoun":
            features = self.lex.pronouns.get(folded_first, "xs")
            mention.gender, mention.plural = features[0], features[1] == "p"
        else:
            gender = span.root.morph.get("Gender", [])
            mention.gender = "f" if "Fem" in gender else "m" if "Masc" in gender else "x"
            mention.plural = "Plur" in span.root.morph.get("Number", [])
        return mention


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
    return j < 0 or texts[j] in SENTENCE_END or texts[j] in {":", "...", "?!", "!?"}


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


def np_tokens(token: Token) -> tuple[int, int]:
    """First and last index of the noun phrase headed by ``token`` (relatives and participles cut)."""
    keep = {token.i}
    stack = [token]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.pos_ in {"VERB", "AUX"} or (child.dep_ in _NP_CUT and child.text != ","):
                continue
            if abs(child.i - token.i) > 14:
                continue
            keep.add(child.i)
            stack.append(child)
    first, last = min(keep), max(keep)
    # Keep the phrase contiguous around the head: stop at the first token that is not kept.
    doc = token.doc
    lo = token.i
    while lo - 1 >= first and lo - 1 in keep and "\n" not in doc[lo - 1].text + doc[lo - 1].whitespace_:
        lo -= 1
    hi = token.i
    while hi + 1 <= last and hi + 1 in keep and "\n" not in doc[hi].whitespace_ + doc[hi + 1].text:
        hi += 1
    while hi > lo and (doc[hi].is_punct or fold(doc[hi].text) in NP_JOINERS):
        hi -= 1
    while lo < hi and doc[lo].is_punct:
        lo += 1
    return lo, hi


def _time_phrase(view: DocView, first: int, last: int) -> bool:
    """ "Friday morning", "la semaine dernière": a date, never a speaker."""
    times = view.lex.word_set("time_nouns")
    return all(
        view.doc[k].ent_type_ in {"DATE", "TIME"}
        or view.words[k] in times
        or view.doc[k].pos_ in {"DET", "ADJ"}
        for k in range(first, last + 1)
    )


def surface_np_after(
    view: DocView, i: int, *, limit: int = 10, allow_time: bool = False
) -> tuple[int, int] | None:
    """The noun phrase starting at token ``i`` by POS alone (parses of inverted clauses are poor)."""
    doc = view.doc
    n = len(doc)
    if i >= n or view.in_quote[i] >= 0:
        return None
    if view.words[i] in view.lex.pronouns:
        return i, i
    if doc[i].pos_ not in NP_POS:
        return None
    last = i
    j = i
    relays = view.lex.phrase("relay_markers")
    while j < n and j - i < limit and view.in_quote[j] < 0:
        token = doc[j]
        word = view.words[j]
        if j > i and relays.match(view.words, j):
            break  # "un enseignant de Créteil au micro de France Info"
        if token.pos_ in NP_POS and word not in SENTENCE_END and not token.is_punct:
            last = j
        elif word in NP_JOINERS and j + 1 < n and doc[j + 1].pos_ in NP_POS | {"ADP"}:
            pass
        elif word == "en" and j + 1 < n and doc[j + 1].pos_ == "NOUN" and j > i:
            pass  # "son rédacteur en chef", "l'opposante en exil"
        elif token.pos_ == "ADP" and word in NP_JOINERS:
            pass
        else:
            break
        j += 1
    if not any(doc[k].pos_ in {"NOUN", "PROPN", "X"} for k in range(i, last + 1)):
        return None
    if not allow_time and _time_phrase(view, i, last):
        return None
    # A role and its complement before the name: "l'opposante en exil Svetlana Tsikhanovskaïa".
    if (
        last + 3 < n
        and doc[last + 1].pos_ == "ADP"
        and doc[last + 2].pos_ == "NOUN"
        and doc[last + 3].pos_ == "PROPN"
        and view.words[last] in view.lex.word_set("roles") | {fold(doc[last].lemma_)}
        and fold(doc[last].lemma_) in view.lex.word_set("roles") | view.lex.word_set("source_nouns")
    ):
        last += 3
        while last + 1 < n and doc[last + 1].pos_ == "PROPN" and last - i < limit + 4:
            last += 1
    # An apposition naming the person: "le gouverneur régional, Viatcheslav Ivanov, …".
    if (
        last + 2 < n
        and view.words[last + 1] == ","
        and doc[last + 2].pos_ == "PROPN"
        and doc[i].pos_ != "PROPN"
    ):
        k = last + 2
        while k + 1 < n and doc[k + 1].pos_ == "PROPN" and k - last < 6:
            k += 1
        if k + 1 >= n or view.words[k + 1] in {",", ".", ";"} or view.is_final(k + 1):
            last = k
    return i, last


def surface_np_before(view: DocView, i: int, *, limit: int = 12) -> tuple[int, int] | None:
    """The noun phrase ending at token ``i``, with an apposition ("le secrétaire …, Jens Stoltenberg")."""
    doc = view.doc
    if i < 0 or view.in_quote[i] >= 0:
        return None
    if view.words[i] in view.lex.pronouns:
        return i, i
    j = i
    if view.words[j] == "," and j > 0:
        j -= 1  # "…, Jens Stoltenberg, a prétendu"
        # A parenthetical between subject and verb: "Des responsables, sous couvert d'anonymat, soutiennent".
        opening = next((k for k in range(j, max(-1, j - 10), -1) if view.words[k] == ","), None)
        if opening is not None and opening > 0:
            inner = doc[opening + 1]
            if inner.pos_ == "PRON" and inner.head.dep_ in {"acl:relcl", "relcl"}:
                # "Un diplomate européen, qui a requis l'anonymat, juge …": the relative's antecedent.
                return np_tokens(inner.head.head)
            if inner.pos_ in {"ADP", "ADV", "VERB", "SCONJ"}:
                j = opening - 1
    end = j
    first = None
    while j >= 0 and end - j < limit and view.in_quote[j] < 0:
        token = doc[j]
        word = view.words[j]
        if token.pos_ in NP_POS and not token.is_punct:
            first = j
        elif word in NP_JOINERS and first is not None:
            pass
        else:
            break
        j -= 1
    if first is None or not any(doc[k].pos_ in {"NOUN", "PROPN", "X"} for k in range(first, end + 1)):
        return None
    if _time_phrase(view, first, end):
        return None
    # An apposition before a name: "le secrétaire général de l'OTAN, Jens Stoltenberg".
    if (
        first >= 2
        and view.words[first - 1] == ","
        and all(doc[k].pos_ == "PROPN" for k in range(first, end + 1))
    ):
        before = surface_np_before(view, first - 2, limit=limit)
        roles = view.lex.word_set("roles") | view.lex.word_set("source_nouns")
        if (
            before is not None
            and doc[before[0]].pos_ == "DET"
            and any(view.words[k] in roles for k in range(before[0], before[1] + 1))
        ):
            first = before[0]
    return first, end
