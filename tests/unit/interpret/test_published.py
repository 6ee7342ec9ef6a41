"""The publication-date decision: user > metadata > text candidates narrowed by constraints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from spacy.lang.fr import French
from spacy.tokens import Doc

from veille.interpret.published import ConstraintVerdict, DateCandidate, decide_published
from veille.models import PublishedEvidence


@pytest.fixture(scope="module")
def doc() -> Doc:
    return French()("Ce mardi 4 février, le ministre a parlé.")


def candidate(day: str) -> DateCandidate:
    return DateCandidate(
        date=dt.date.fromisoformat(day),
        evidence=PublishedEvidence(start=0, end=18, text="Ce mardi 4 février", why="Tuesday 4 February"),
    )


CANDIDATES = [candidate("2014-02-04"), candidate("2020-02-04"), candidate("2025-02-04")]


def keep_years(*years: int) -> object:
    def constraint(doc: Doc, dates: Sequence[dt.date]) -> ConstraintVerdict:
        return ConstraintVerdict(
            allowed=frozenset(d for d in dates if d.year in years),
            evidence=(PublishedEvidence(start=20, end=31, text="le ministre", why=f"in office {years}"),),
        )

    return constraint


def test_user_date_wins(doc: Doc) -> None:
    got = decide_published(doc, user=dt.date(2021, 5, 1), metadata="2020-01-01", candidates=CANDIDATES)
    assert (got.date, got.source) == ("2021-05-01", "user")


def test_metadata_beats_text(doc: Doc) -> None:
    got = decide_published(doc, user=None, metadata="2020-01-01", candidates=CANDIDATES, constraints=[])
    assert (got.date, got.source) == ("2020-01-01", "metadata")


def test_several_candidates_choose_none_but_keep_them(doc: Doc) -> None:
    got = decide_published(doc, user=None, metadata=None, candidates=CANDIDATES, constraints=[])
    assert got.date is None
    assert got.candidates == ("2014-02-04", "2020-02-04", "2025-02-04")
    assert got.evidence and got.evidence[0].text == "Ce mardi 4 février"


def test_constraint_narrows_to_one(doc: Doc) -> None:
    got = decide_published(
        doc, user=None, metadata=None, candidates=CANDIDATES, constraints=[keep_years(2019, 2020)]
    )
    assert (got.date, got.source) == ("2020-02-04", "text")
    assert any("in office" in e.why for e in got.evidence)


def test_contradicting_constraint_is_ignored(doc: Doc) -> None:
    got = decide_published(
        doc, user=None, metadata=None, candidates=CANDIDATES, constraints=[keep_years(1990)]
    )
    assert got.date is None and len(got.candidates) == 3


def test_no_candidates_no_date(doc: Doc) -> None:
    got = decide_published(doc, user=None, metadata=None, candidates=[])
    assert got.date is None and got.source is None
