"""``veille_paragraphs``: blank lines and datelines' dashes are sentence starts the parser keeps."""

from __future__ import annotations

import pytest
from spacy.language import Language

from veille.annotate.nlp import get_nlp
from veille.annotate.paragraphs import mark_paragraph_starts
from veille.settings import Settings


@pytest.fixture(scope="module")
def fr() -> Language:
    return get_nlp("fr", models=Settings().models)


def test_it_runs_right_before_the_parser(fr: Language) -> None:
    names = fr.pipe_names
    assert names.index("veille_paragraphs") + 1 == names.index("parser")


def test_no_sentence_runs_across_a_blank_line(fr: Language) -> None:
    text = (
        "Israël, de son côté, aurait préparé des plans de frappes contre des sites nucléaires, selon le "
        "New York Times, qui cite des responsables américains anonymes.\n\n"
        "La Chine et la Russie ont appelé au dialogue et rejeté toute sanction supplémentaire."
    )
    doc = fr(text)
    second = text.index("La Chine")
    for sent in doc.sents:
        assert not (sent.start_char < second < sent.end_char - 1), sent.text
    called = next(t for t in doc if t.text == "appelé")
    assert called.head.idx >= second  # its tree stays in its paragraph


def test_single_line_breaks_and_dateline_dashes() -> None:
    from spacy.lang.fr import French

    doc = mark_paragraph_starts(
        French()("MARSEILLE, 2 mai 2026 — Les dockers ont voté\nla grève.\n\nIls reprendront lundi.")
    )
    starts = [t.text for t in doc if t.is_sent_start]
    # The first token is always a start; "la" after a single line break is left to the parser.
    assert starts == ["MARSEILLE", "Les", "\n\n"]
    plain = mark_paragraph_starts(French()("Le port - le premier du pays - est fermé."))
    assert [t.text for t in plain if t.is_sent_start] == ["Le"]  # no dateline: dashes mean nothing
