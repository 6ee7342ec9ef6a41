"""Property tests: the actor matcher's word splitter agrees with a plain reading of its rule.

``veille.annotate.actor_match.words`` is tuned for speed (one ``findall``, offsets found with
``str.find``); the reference below reads the same rule with one regex Match per word. Both must give
the same words, offsets, folded forms and sentence-boundary flags on any text.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.annotate.actor_match import SENTENCE_END, WORD, Word, fold, words


def _reference(text: str) -> list[Word]:
    out: list[Word] = []
    boundary = True
    previous_end = -1
    for match in WORD.finditer(text):
        start, end = match.span()
        if previous_end >= 0 and "\n" in text[previous_end:start]:
            boundary = True
        out.append(Word(start, end, match.group(), fold(match.group()), boundary))
        boundary = match.group() in SENTENCE_END
        previous_end = end
    return out


_PIECES = st.sampled_from(
    [
        "Minsk",
        "l’État",
        "d'",
        "É",
        "e\u0301",
        "_",
        "__x",
        " ",
        "\n",
        "\r\n",
        "\t",
        ".",
        "?",
        "-",
        "2020",
        "İ",
        "ß",
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.lists(_PIECES, max_size=30).map("".join), st.text(max_size=200)))
def test_words_match_the_reference(text: str) -> None:
    assert words(text) == _reference(text)
