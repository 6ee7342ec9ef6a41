"""Acceptance on a real corpus (slow: real analysis of 100 articles): a second run costs ≤ 5 %."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from veille.settings import Settings
from veille.store import Store
from veille.store.ingest import ingest


@pytest.mark.slow
def test_second_ingest_of_a_corpus_is_cheap(shared_dir: Path, db_url: str) -> None:
    corpus = shared_dir / "corpus" / "wikinews_fr100.jsonl.gz"
    if not corpus.is_file():
        pytest.skip(f"{corpus} not found")
    with Store.open(db_url) as store:
        started = time.monotonic()
        first = ingest([str(corpus)], store=store, settings=Settings())
        first_s = time.monotonic() - started
        started = time.monotonic()
        second = ingest([str(corpus)], store=store, settings=Settings())
        second_s = time.monotonic() - started
    assert first.counts["new"] == 100 and first.counts["failed"] == 0
    assert second.counts["unchanged"] == 100 and second.counts["new"] == second.counts["updated"] == 0
    assert second_s <= 0.05 * first_s, (first_s, second_s)
