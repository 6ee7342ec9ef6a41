"""Batch ingest: idempotent, hash checked before analysis, bad input skipped with reasons.

The pipeline is replaced by a deterministic stand-in (``store_fakes.fake_analyze_many``): these
tests are about the store's behaviour, not about linguistics (see tests/unit/ingest for readers).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from store_fakes import fake_analysis

import veille.store.ingest as ingest_module
from veille.errors import FetchError
from veille.ingest.raw import RawDocument
from veille.settings import Settings
from veille.store import Store
from veille.store.ingest import ingest
from veille.store.schema import ArticleRow, IngestFailure, IngestRun

SETTINGS = Settings(batch_size=4, max_decompressed_bytes=2_000_000, max_feed_items=50)


def _record(i: int, text: str | None = None) -> dict[str, Any]:
    return {
        "id": f"r{i}",
        "lang": "en",
        "url": None,
        "title": f"Story {i}",
        "published": f"2021-05-{i % 28 + 1:02d}",
        "source": f"Outlet {i % 3}",
        "text": text or f"Story {i}: Alpha met Beta on 2021-05-{i % 28 + 1:02d} to discuss item {i}.",
    }


def _corpus(path: Path, records: list[dict[str, Any]], *, extra: str = "") -> Path:
    lines = "".join(json.dumps(r) + "\n" for r in records) + extra
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(lines.encode()))
    else:
        path.write_text(lines, encoding="utf-8")
    return path


class Calls:
    def __init__(self) -> None:
        self.analysed: list[str] = []


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    seen = Calls()

    def analyze_many(sources: Any, **_kw: Any) -> Iterator[Any]:
        for raw in sources:
            seen.analysed.append(raw.source)
            if "EXPLODE" in (raw.text or ""):
                raise RuntimeError("component bug")
            yield fake_analysis(raw)

    def analyze(raw: RawDocument, **_kw: Any) -> Any:
        if "EXPLODE" in (raw.text or ""):
            raise RuntimeError("component bug")
        return fake_analysis(raw)

    def read_source(source: str, **_kw: Any) -> RawDocument:
        if source.startswith("https://ok.example/"):
            return RawDocument(
                source=source, data=b"<p>Gamma met Delta on 2021-06-01 in town.</p>", url=source
            )
        raise FetchError("host not found", source=source)

    monkeypatch.setattr(ingest_module, "analyze_many", analyze_many)
    monkeypatch.setattr(ingest_module, "analyze", analyze)
    monkeypatch.setattr(ingest_module, "read_source", read_source)
    return seen


def _articles(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(ArticleRow)).scalar_one())


def test_second_run_skips_by_hash_before_analysis(store: Store, calls: Calls, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c.jsonl.gz", [_record(i) for i in range(10)])
    first = ingest([str(corpus)], store=store, settings=SETTINGS)
    assert (first.counts["new"], first.counts["failed"]) == (10, 0) and len(calls.analysed) == 10
    second = ingest([str(corpus)], store=store, settings=SETTINGS)
    assert (second.counts["new"], second.counts["unchanged"]) == (0, 10)
    assert len(calls.analysed) == 10 and second.relinked is None  # nothing analysed, nothing relinked
    assert _articles(store) == 10


def test_changed_content_is_replaced(store: Store, calls: Calls, tmp_path: Path) -> None:
    _corpus(tmp_path / "c.jsonl", [_record(1), _record(2)])
    ingest([str(tmp_path / "c.jsonl")], store=store, settings=SETTINGS)
    _corpus(
        tmp_path / "c.jsonl", [_record(1), _record(2, "Story 2 rewritten: Alpha met Gamma on 2021-05-03.")]
    )
    report = ingest([str(tmp_path / "c.jsonl")], store=store, settings=SETTINGS)
    assert (report.counts["updated"], report.counts["unchanged"]) == (1, 1)
    with store.read() as conn:
        texts = set(conn.execute(select(ArticleRow.text)).scalars())
    assert any("rewritten" in t for t in texts) and _articles(store) == 2


def test_bad_inputs_are_skipped_with_reasons(store: Store, calls: Calls, tmp_path: Path) -> None:
    good = _corpus(tmp_path / "good.jsonl", [_record(i) for i in range(3)], extra="{not json\n\n[1, 2]\n")
    (tmp_path / "empty.html").write_bytes(b"")
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(b"0" * 5_000_000))  # one 5 MB line, over both caps
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "# list\nhttps://ok.example/a\nnot a url at all\nhttps://down.example/b\nftp://x.example/\n"
    )
    explode = _corpus(tmp_path / "explode.jsonl", [_record(7, "EXPLODE: Alpha met Beta on 2021-05-01.")])
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Epsilon met Zeta on 2021-07-01.</p></body></html>")
    inputs = [
        str(p) for p in (good, tmp_path / "empty.html", bomb, urls, explode, page, tmp_path / "missing")
    ]
    report = ingest(inputs, store=store, settings=SETTINGS)
    reasons = {f.source.rsplit("/", 1)[-1]: f.reason for f in report.failures}
    assert report.counts["new"] == 5  # 3 records, the fetched URL, the page
    assert "not a JSON record" in reasons["good.jsonl:4"] and "not a JSON object" in reasons["good.jsonl:6"]
    assert "empty" in reasons["empty.html"]
    assert "gzip bomb" in reasons["bomb.jsonl.gz"] or "larger than" in reasons["bomb.jsonl.gz:1"]
    assert "not an http(s) URL" in reasons["urls.txt:3"] and "not an http(s) URL" in reasons["urls.txt:5"]
    assert "host not found" in reasons["b"]
    assert "analysis error (RuntimeError" in reasons["explode.jsonl#r7"]
    assert "no such file" in reasons["missing"]
    with store.read() as conn:
        run = Session(bind=conn).scalars(select(IngestRun)).one()
        stored = conn.execute(select(func.count()).select_from(IngestFailure)).scalar_one()
    assert (run.status, run.n_new, run.n_failed) == (
        "done",
        5,
        report.counts["failed"],
    ) and stored == run.n_failed


def test_known_urls_are_not_fetched_again(store: Store, calls: Calls, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("https://ok.example/a\nhttps://ok.example/b\n")
    assert ingest([str(urls)], store=store, settings=SETTINGS).counts["new"] == 2
    again = ingest([str(urls)], store=store, settings=SETTINGS)
    assert again.counts["unchanged"] == 2 and len(calls.analysed) == 2
    refreshed = ingest([str(urls)], store=store, settings=SETTINGS, refresh=True)
    assert refreshed.counts["unchanged"] == 2  # fetched again, same content: still not analysed


def test_big_feed_is_bounded(store: Store, calls: Calls, tmp_path: Path) -> None:
    items = "".join(
        f"<item><title>T{i}</title><link>https://news.example/{i}</link>"
        f"<description>Item {i}: Alpha met Beta on 2021-05-02.</description></item>"
        for i in range(100_000)
    )
    feed = tmp_path / "big.rss"
    feed.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'
    )
    report = ingest([str(feed)], store=store, settings=SETTINGS, fetch_links=False)
    assert report.counts["new"] == 50 and _articles(store) == 50
    assert any("99950 more items" in f.reason for f in report.failures)


def test_progress_reports_every_document(store: Store, calls: Calls, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", [_record(i) for i in range(5)])
    seen: list[tuple[int, int | None]] = []
    ingest([str(corpus)], store=store, settings=SETTINGS, progress=lambda p: seen.append((p.done, p.total)))
    assert seen == [(i, 5) for i in range(1, 6)]
