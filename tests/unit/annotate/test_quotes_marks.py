"""Quote-mark scanning: nesting, multi-paragraph quotes, apostrophes, unbalanced marks."""

from __future__ import annotations

from veille.annotate.quote_marks import find_quote_spans


def inner(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quote_spans(text)]


def test_guillemets_and_nested_curly_quotes() -> None:
    text = "« “Défendre l’Europe” représente un tournant », a-t-il dit."
    assert inner(text) == ["“Défendre l’Europe” représente un tournant"]


def test_trailing_comma_inside_marks_is_trimmed() -> None:
    assert inner("“We are ready,” he said.") == ["We are ready"]


def test_straight_quotes_pair_in_order() -> None:
    assert inner('He said "no" and then "yes, fine".') == ["no", "yes, fine"]


def test_apostrophes_are_not_quotes() -> None:
    assert inner("l’OTAN n’a pas répondu, don’t worry") == []
    assert inner("‘I don’t know,’ she said") == ["I don’t know"]


def test_breadcrumb_closing_marks_are_ignored() -> None:
    assert inner("Accueil » Actualité » Monde") == []


def test_quote_continuing_over_paragraphs_shares_a_group() -> None:
    spans = find_quote_spans("“First part of the quote.\n\n“Second part,” he said.")
    assert [s.part for s in spans] == [0, 1]
    assert spans[0].group == spans[1].group
    assert spans[0].close == -1


def test_unclosed_quote_at_paragraph_end_is_dropped() -> None:
    assert inner("« Jamais fermé\n\nUn autre paragraphe.") == []


def test_depth_is_capped() -> None:
    text = "«" * 100 + "x" + "»" * 100
    spans = find_quote_spans(text, max_depth=8)
    assert len(spans) <= 1
