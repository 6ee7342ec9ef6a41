"""Corpus JSON lines (``.jsonl`` or ``.jsonl.gz``): one article per line.

Record: ``{"id", "lang", "url", "title", "published", "source", "text", ...extra}`` (see
``shared/corpus/README.md``). Each good line becomes an :class:`Item` whose text is the record's
text and whose ``meta`` carries the rest; a bad line (not JSON, no text, too long) is
:class:`Skipped` with its line number, and reading goes on. The file is streamed, with a cap on
the decompressed size (gzip bombs) and on each line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from veille.errors import InputError
from veille.ingest.items import READ_ERRORS, Entry, Item, Skipped, iter_lines, open_capped
from veille.ingest.raw import RawDocument
from veille.settings import Settings

_META_FIELDS = ("id", "lang", "url", "title", "published", "source")


def record_key(path: Path, record_id: str, url: str | None) -> str:
    """Store identity of a record: its URL when it has one, else ``<file name>#<id>``.

    The file name (not the path) keeps the key stable when the corpus is moved or read from
    another folder.
    """
    return url if url else f"{path.name}#{record_id}"


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_record(line: bytes, *, path: Path, number: int) -> Entry:
    where = f"{path}:{number}"
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Skipped(where, f"not a JSON record ({exc.__class__.__name__})")
    if not isinstance(record, dict):
        return Skipped(where, "not a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return Skipped(where, "record has no text")
    record_id = _text(record.get("id")) or str(record.get("id") or f"line{number}")
    url = _text(record.get("url"))
    if url is not None and not url.startswith(("http://", "https://")):
        url = None
    meta = {name: str(record[name]) for name in _META_FIELDS if _text(record.get(name))}
    source = f"{path}#{record_id}"
    raw = RawDocument(source=source, text=text, url=url, meta=meta)
    return Item(key=record_key(path, record_id, url), source=source, raw=raw)


def read_corpus(path: Path, *, settings: Settings) -> Iterator[Entry]:
    """Stream the records of a corpus file; never raises for bad content (yields :class:`Skipped`)."""
    try:
        stream = open_capped(path, limit=settings.max_decompressed_bytes)
    except OSError as exc:
        yield Skipped(str(path), f"cannot read ({exc.strerror or exc})")
        return
    seen = 0
    with stream:
        try:
            for number, line in iter_lines(stream, max_line=settings.max_input_bytes):
                if line is None:
                    yield Skipped(f"{path}:{number}", f"record larger than {settings.max_input_bytes} bytes")
                    continue
                if not line.strip():
                    continue
                seen += 1
                yield parse_record(line, path=path, number=number)
        except InputError as exc:
            yield Skipped(str(path), exc.message)
            return
        except READ_ERRORS as exc:
            yield Skipped(str(path), f"damaged file ({exc.__class__.__name__}: {exc}); rest skipped")
            return
    if seen == 0:
        yield Skipped(str(path), "empty corpus file (no records)")


def count_records(path: Path, *, settings: Settings) -> int | None:
    """Number of non-empty lines (for a progress total), or None if the file cannot be read."""
    count = 0
    try:
        with open_capped(path, limit=settings.max_decompressed_bytes) as stream:
            for _number, line in iter_lines(stream, max_line=settings.max_input_bytes):
                count += line is None or bool(line.strip())
    except InputError:
        return None
    except READ_ERRORS:
        return None
    return count
