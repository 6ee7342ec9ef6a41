"""The read paths made cheaper for the load check give exactly what the plain versions give."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from typer.testing import CliRunner

from veille.cli import app
from veille.store import Store
from veille.store.read_articles import ArticleFilter, search_articles
from veille.store.read_common import COUNT_CAP, fold, known_total, snippet
from veille.store.read_event_plans import codes_in_range
from veille.store.records import EventRow


def _reference_fold(text: str) -> str:
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)
        out.append((base[0] if base else char).casefold()[:1] or char)
    return "".join(out)


def _reference_snippet(text: str, terms: list[str], *, width: int = 220) -> str:
    folded = _reference_fold(text)
    hits = [h for h in (folded.find(_reference_fold(t)) for t in terms if t) if h >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    piece = " ".join(text[start : start + width].split())
    return f"{'…' if start > 0 else ''}{piece}{'…' if start + width < len(text) else ''}"


_LETTERS = st.sampled_from([*"abcÉéèàÀçœŒßﬁ ,.\n", "İ", "Å"])


@settings(max_examples=200, deadline=None)
@given(
    body=st.lists(_LETTERS, max_size=300).map("".join),
    terms=st.lists(st.lists(_LETTERS, min_size=1, max_size=6).map("".join), max_size=3),
    chunk_edge=st.integers(min_value=0, max_value=2),
)
def test_snippet_and_fold_match_the_plain_definitions(body: str, terms: list[str], chunk_edge: int) -> None:
    # Long texts too, with a hit placed across the 2,000-character chunk boundary.
    long_text = "x" * (2_000 - chunk_edge) + body
    for value in (body, long_text):
        assert fold(value) == _reference_fold(value)
        assert snippet(value, terms) == _reference_snippet(value, terms)


@pytest.mark.parametrize("matches", [0, 1, 19, 20, 21, 57, 999, 1000, 1001, 5000])
@pytest.mark.parametrize("offset", [0, 10, 20, 40, 990, 1000, 2000])
def test_known_totals_agree_with_a_capped_count(matches: int, offset: int) -> None:
    limit = 20
    found = max(0, min(limit, matches - offset))
    known = known_total(found, limit=limit, offset=offset)
    if known is not None:
        assert known == (min(matches, COUNT_CAP), matches <= COUNT_CAP)
    if offset == 0 and matches < limit:
        assert known == (matches, True)  # a short first page never needs a count


def test_full_text_page_equals_the_joined_ranking(sample: tuple[str, dict[str, int]]) -> None:
    with Store.open(sample[0]) as store, store.read() as conn:
        for q in ("Vilnius", "ministre letton", "Riga", "piégé", "introuvablemot"):
            match = " ".join(f'"{w}"' for w in q.split())
            reference = [
                i
                for (i,) in conn.execute(
                    text(
                        "SELECT a.id FROM articles AS a JOIN articles_fts AS f ON f.rowid = a.id "
                        "WHERE articles_fts MATCH :m ORDER BY f.rank, a.id"
                    ),
                    {"m": match},
                )
            ]
            for offset in (0, 1, 5):
                page = search_articles(conn, ArticleFilter(q=q), limit=1, offset=offset)
                assert [h.id for h in page.items] == reference[offset : offset + 1], (q, offset)
                assert (page.total, page.exact) == (len(reference), True)


def test_skip_scan_lists_the_distinct_codes_of_a_range(sample: tuple[str, dict[str, int]]) -> None:
    with Store.open(sample[0]) as store, store.read() as conn:
        for name in ("source_code", "target_code"):
            column = EventRow.__table__.c[name]
            for low, high in (("A", "Z"), ("L", "M"), ("LVA", "LVB"), ("Q", "R")):
                plain = select(column).where(column >= low, column < high).distinct().order_by(column)
                expected = [c for (c,) in conn.execute(plain)]
                assert codes_in_range(conn, name, low, high, limit=100) == expected
                assert codes_in_range(conn, name, low, high, limit=1) == expected[:1]


def test_serve_refuses_a_bad_worker_count(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    result = CliRunner().invoke(app, ["serve", "--db", db, "--workers", "0"])
    assert result.exit_code == 2 and "--workers must be between 1 and 32" in result.output
