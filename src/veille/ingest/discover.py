"""Expand what the user named (``veille ingest INPUT...``) into documents to ingest.

An input is a file, a folder (walked recursively, hidden entries skipped, in sorted order), ``-``
for stdin, or an http(s) URL. Files are dispatched on their name, then on their first bytes:
WARC (``.warc``, ``.warc.gz``), corpus JSON lines (``.jsonl``, ``.jsonl.gz``, ``.ndjson``), RSS or
Atom feeds (any file or URL whose document opens a feed), URL lists (text files whose lines are
mostly URLs), and otherwise one page (HTML or text) read by :func:`veille.ingest.read_source`.
Nothing here raises for bad input: problems come out as :class:`Skipped` entries, in order.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from veille.errors import VeilleError
from veille.ingest import read_source
from veille.ingest.corpus import count_records, read_corpus
from veille.ingest.feeds import looks_like_feed, read_feed
from veille.ingest.items import Entry, Item, Skipped
from veille.ingest.raw import RawDocument
from veille.ingest.urllist import looks_like_url_list, read_url_list, valid_url
from veille.ingest.warc import read_warc
from veille.settings import Settings

_CORPUS = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_WARC = (".warc", ".warc.gz")
_LIST = (".txt", ".urls", ".list", ".lst")


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def file_key(path: Path) -> str:
    """Store identity of a plain file: its absolute path."""
    return f"file://{path.resolve()}"


def _kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(_WARC):
        return "warc"
    if name.endswith(_CORPUS):
        return "corpus"
    if name.endswith(".gz"):
        return "unsupported"
    return "page"


def _may_be_list(path: Path) -> bool:
    return path.name.lower().endswith(_LIST) or path.suffix == ""


def _page_entries(
    raw: RawDocument, *, key: str, path: Path | None, settings: Settings, fetch_links: bool
) -> Iterator[Entry]:
    data = raw.data or (raw.text or "").encode("utf-8")
    if looks_like_feed(data):
        yield from read_feed(data, source=raw.source, settings=settings, fetch_links=fetch_links)
    elif path is not None and _may_be_list(path) and looks_like_url_list(data):
        yield from read_url_list(data, path=path)
    else:
        yield Item(key=key, source=raw.source, raw=raw)


def _file_entries(path: Path, *, settings: Settings, fetch_links: bool) -> Iterator[Entry]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Skipped(str(path), f"cannot read ({exc.strerror or exc})")
        return
    if size == 0:
        yield Skipped(str(path), "empty file (0 bytes)")
        return
    kind = _kind(path)
    if kind == "page" and size > settings.max_input_bytes:
        yield from _large_file(path, settings=settings, fetch_links=fetch_links)
        return
    if kind == "warc":
        yield from read_warc(path, settings=settings)
        return
    if kind == "corpus":
        yield from read_corpus(path, settings=settings)
        return
    if kind == "unsupported":
        yield Skipped(str(path), "compressed file of an unsupported kind (expected .jsonl.gz or .warc.gz)")
        return
    try:
        raw = read_source(str(path), settings=settings)
    except VeilleError as exc:
        yield Skipped(str(path), exc.message)
        return
    yield from _page_entries(raw, key=file_key(path), path=path, settings=settings, fetch_links=fetch_links)


def _large_file(path: Path, *, settings: Settings, fetch_links: bool) -> Iterator[Entry]:
    """A file over the size cap: a feed is read up to the cap (its first items), anything else refused."""
    try:
        with path.open("rb") as handle:
            head = handle.read(settings.max_input_bytes)
    except OSError as exc:
        yield Skipped(str(path), f"cannot read ({exc.strerror or exc})")
        return
    if looks_like_feed(head):
        yield from read_feed(
            head, source=str(path), settings=settings, fetch_links=fetch_links, truncated=True
        )
    else:
        yield Skipped(str(path), f"input larger than the {settings.max_input_bytes}-byte limit")


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def discover(inputs: Iterable[str], *, settings: Settings, fetch_links: bool = True) -> Iterator[Entry]:
    """Every document named by ``inputs``, in order, as :class:`Item` or :class:`Skipped`."""
    for source in inputs:
        if source == "-":
            try:
                raw = read_source("-", settings=settings)
            except VeilleError as exc:
                yield Skipped("-", exc.message)
                continue
            digest = hashlib.sha256(raw.data or b"").hexdigest()[:16]
            yield from _page_entries(
                raw, key=f"stdin:{digest}", path=None, settings=settings, fetch_links=fetch_links
            )
        elif _is_url(source):
            if not valid_url(source):
                yield Skipped(source, "not a valid http(s) URL")
                continue
            try:
                raw = read_source(source, settings=settings)
            except VeilleError as exc:
                yield Skipped(source, exc.message)
                continue
            yield from _page_entries(raw, key=source, path=None, settings=settings, fetch_links=fetch_links)
        else:
            path = Path(source)
            if path.is_dir():
                found = False
                for child in _walk(path):
                    found = True
                    yield from _file_entries(child, settings=settings, fetch_links=fetch_links)
                if not found:
                    yield Skipped(source, "empty folder")
            elif path.exists():
                yield from _file_entries(path, settings=settings, fetch_links=fetch_links)
            else:
                yield Skipped(source, "no such file or folder")


def estimate_total(inputs: Iterable[str], *, settings: Settings) -> int | None:
    """How many documents ``inputs`` hold, for a progress bar; None when it cannot be told cheaply."""
    total = 0
    for source in inputs:
        if source == "-" or _is_url(source):
            return None
        path = Path(source)
        files = list(_walk(path)) if path.is_dir() else [path]
        for file in files:
            kind = _kind(file) if file.exists() else "missing"
            if kind == "corpus":
                count = count_records(file, settings=settings)
                if count is None:
                    return None
                total += count
            elif kind == "page":
                count = _page_count(file)
                if count is None:
                    return None
                total += count
            elif kind in {"missing", "unsupported"}:
                total += 1
            else:
                return None
    return total


def _page_count(path: Path) -> int | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError:
        return 1
    if looks_like_feed(head):
        return None  # items are known only once the feed is parsed
    if _may_be_list(path) and looks_like_url_list(head):
        return None
    return 1
