"""``veille_paragraphs``: a blank line ends a sentence, and so does a dateline's dash.

The parsers of the base models sometimes run a tree across a paragraph break ("…, selon le New York
Times.\\n\\nLa Chine et la Russie ont appelé …" hung the second paragraph's verb on the first's), and
then a source cue, a subject or a modality leaks into the next paragraph. Placed before the parser,
this component marks each blank line as a sentence start; spaCy's parser keeps sentence starts set
before it. Single line breaks are left alone: OCR and wrapped plain text break lines inside
sentences.

A dateline opening a paragraph ("NAIROBI, Thursday 9 November 2023 — Negotiators met …") is no
part of the sentence after its dash: left to the parser, the place may become a subject.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Token

from veille.annotate.attribution import SENTENCE_END

_DASHES = frozenset({"—", "–", "-", "--"})
# What ends a sentence for the quote rules too (``SENTENCE_END``), and what only the parser cuts after.
_FINAL = SENTENCE_END | {":", "!?", "?!", "..."}
_CLOSING = frozenset({"»", "”", '"', "’", "'", ")", "]"})
_DATELINE_TOKENS = 16  # "BAMAKO, 31 janvier 2022 (correspondance) —" and the like fit


def _dateline_end(doc: Doc, first: Token) -> Token | None:
    """The word after the dash of a dateline starting at ``first``, if any.

    The place is in capitals ("NAIROBI, …"), or capitalised and followed by a comma or a bracket
    with a date or an agency before the dash ("Séoul, 2 avril 2024 - …", "Kiev (AFP) - …"): a
    capitalised word alone would also match a sentence with a parenthetical dash."""
    if not (len(first.text) >= 2 and first.text.isalpha() and first.text[0].isupper()):
        return None
    capitals = first.text.isupper()
    if not capitals and (first.i + 1 >= len(doc) or doc[first.i + 1].text not in {",", "("}):
        return None
    for token in doc[first.i + 1 : first.i + _DATELINE_TOKENS]:
        if "\n" in token.text or "\n" in token.whitespace_:
            return None
        if token.text in _DASHES and token.whitespace_ and token.i + 1 < len(doc):
            between = doc[first.i + 1 : token.i]
            if capitals or any(t.like_num or t.text == "(" for t in between):
                return doc[token.i + 1]
            return None
    return None


def mark_paragraph_starts(doc: Doc) -> Doc:
    """Sentence starts for the parser: True after a blank line and after a dateline's dash, False
    inside a line where no final punctuation came before, unset (the parser's call) elsewhere.

    The False marks matter as much as the True ones: with a start forced at a paragraph, the parser
    otherwise tends to cut the next sentence at a comma or between « and “."""
    after_break = False
    after_final = True
    starts: list[Token] = []  # the first word of each paragraph
    for token in doc:
        if token.i == 0:
            after_final = False
            starts.append(token)
            continue
        if token.is_space:
            token.is_sent_start = False
            if token.text.count("\n") >= 2:
                after_break = True
            elif "\n" in token.text:
                after_final = True  # one line break: a wrapped line or a title, the parser decides
            continue
        if after_break:
            token.is_sent_start = True
            starts.append(token)
        elif not after_final:
            token.is_sent_start = False
        after_break = False
        if token.text in _FINAL:
            after_final = True
        elif not (after_final and token.text in _CLOSING):
            after_final = False
    for first in starts:
        after = _dateline_end(doc, first)
        if after is not None:
            after.is_sent_start = True
    return doc


@Language.factory("veille_paragraphs")
def make_paragraph_marker(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The component: add it before the parser (``nlp.add_pipe("veille_paragraphs", before="parser")``)."""
    return mark_paragraph_starts
