"""Corpus JSON lines: good records become documents with metadata; bad lines are skipped."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from veille.ingest.corpus import count_records, read_corpus, record_key
from veille.ingest.items import Item, Skipped
from veille.settings import Settings

RECORD = {
    "id": "x:1",
    "lang": "fr",
    "url": None,
    "title": "Titre",
    "published": "2012-05-22",
    "source": "Wikinews (fr)",
    "text": "Un texte.",
    "provenance": "somewhere",
}


def test_records_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps(RECORD) + "\n").encode()))
    (item,) = read_corpus(path, settings=Settings())
    assert isinstance(item, Item) and item.key == "c.jsonl.gz#x:1" and item.raw is not None
    assert item.raw.text == "Un texte." and item.raw.source == f"{path}#x:1"
    assert item.raw.meta == {
        "id": "x:1",
        "lang": "fr",
        "title": "Titre",
        "published": "2012-05-22",
        "source": "Wikinews (fr)",
    }
    assert count_records(path, settings=Settings()) == 1


def test_url_is_the_key_when_present() -> None:
    assert record_key(Path("/a/b.jsonl"), "7", "https://n.example/7") == "https://n.example/7"
    assert record_key(Path("/a/b.jsonl"), "7", None) == "b.jsonl#7"


def test_bad_lines_skipped_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [json.dumps(RECORD), "{oops", "", json.dumps({"id": "2"}), "[]", json.dumps(RECORD | {"id": "3"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    entries = list(read_corpus(path, settings=Settings()))
    kinds = [(type(e).__name__, e.source.rsplit("/", 1)[-1]) for e in entries]
    assert kinds == [
        ("Item", "c.jsonl#x:1"),
        ("Skipped", "c.jsonl:2"),
        ("Skipped", "c.jsonl:4"),
        ("Skipped", "c.jsonl:5"),
        ("Item", "c.jsonl#3"),
    ]


def test_gzip_bomb_and_long_lines_are_capped(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(json.dumps(RECORD).encode() + b"\n" + b" " * 3_000_000))
    entries = list(
        read_corpus(bomb, settings=Settings(max_decompressed_bytes=1_000_000, max_input_bytes=10_000))
    )
    assert isinstance(entries[0], Item)
    assert isinstance(entries[-1], Skipped) and "gzip bomb" in entries[-1].reason
    long_line = tmp_path / "long.jsonl"
    long_line.write_text(json.dumps(RECORD | {"text": "y" * 20_000}) + "\n" + json.dumps(RECORD) + "\n")
    entries = list(read_corpus(long_line, settings=Settings(max_input_bytes=10_000)))
    assert (
        isinstance(entries[0], Skipped)
        and "larger than" in entries[0].reason
        and isinstance(entries[1], Item)
    )


def test_empty_and_damaged_files(tmp_path: Path) -> None:
    empty = tmp_path / "e.jsonl"
    empty.write_text("\n\n")
    assert [e.reason for e in read_corpus(empty, settings=Settings())] == ["empty corpus file (no records)"]  # type: ignore[union-attr]
    damaged = tmp_path / "d.jsonl.gz"
    damaged.write_bytes(gzip.compress((json.dumps(RECORD) + "\n").encode() * 50)[:-30])
    entries = list(read_corpus(damaged, settings=Settings()))
    assert isinstance(entries[-1], Skipped) and "damaged file" in entries[-1].reason
