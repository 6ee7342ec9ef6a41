"""The date table of the seed page (shared/seed/EXPECTED.md), resolved against 2020-02-04."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources

import pytest
from spacy.tokens import Doc

from veille.annotate.nlp import get_nlp
from veille.interpret.dates import publication_candidates, resolve_dates
from veille.models import DateMention
from veille.settings import Settings


@pytest.fixture(scope="module")
def seed_doc() -> Doc:
    text = (resources.files("veille") / "demo" / "showcase" / "seed_defender_europe_fr.txt").read_text(
        "utf-8"
    )
    return get_nlp("fr", models=Settings().models)(text)


@pytest.fixture(scope="module")
def mentions(seed_doc: Doc) -> list[DateMention]:
    return list(resolve_dates(seed_doc, reference=dt.date(2020, 2, 4), lang="fr"))


def by_text(mentions: list[DateMention], text: str) -> list[DateMention]:
    return [m for m in mentions if m.text == text]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("il y a trois jours", "2020-02-01"),
        ("ce mardi 4 février", "2020-02-04"),
        ("lundi", "2020-02-03"),
        ("ce lundi", "2020-02-03"),
        ("novembre dernier", "2019-11"),
        ("3 janvier", "2020-01-03"),
    ],
)
def test_seed_dates(mentions: list[DateMention], text: str, value: str) -> None:
    assert [m.value for m in by_text(mentions, text)] == [value]


def test_seed_durations(mentions: list[DateMention]) -> None:
    durations = by_text(mentions, "depuis plus de 25 ans")
    assert [(m.type, m.value, m.mod) for m in durations] == [("duration", "P25Y", "more")] * 2


def test_seed_numbers_are_not_dates(mentions: list[DateMention], seed_doc: Doc) -> None:
    text = seed_doc.text
    for needle in (r"20\s000 soldats", r"-92%", r"1er diplomate"):
        found = list(re.finditer(needle, text))
        assert found, needle
        for match in found:
            assert not any(m.start < match.end() and match.start() < m.end for m in mentions), needle
    assert all(m.text != "25 ans" for m in mentions)
    assert len(mentions) == 8


def test_seed_offsets(mentions: list[DateMention], seed_doc: Doc) -> None:
    for m in mentions:
        assert seed_doc.text[m.start : m.end] == m.text


def test_seed_publication_candidates(seed_doc: Doc) -> None:
    candidates = publication_candidates(seed_doc, today=dt.date(2026, 1, 1))
    assert {c.date.year for c in candidates} == {1992, 1997, 2003, 2014, 2020, 2025}
    assert all(c.evidence.text == "ce mardi 4 février" for c in candidates)
