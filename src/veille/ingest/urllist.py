"""Text files listing URLs, one per line (``#`` comments and blank lines allowed).

Each http(s) URL becomes an :class:`Item` fetched only when the store does not know it yet;
any other line is :class:`Skipped` with its line number (garbage never stops the list).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from veille.ingest.items import Entry, Item, Skipped

_MAX_URL = 4096
_SAMPLE_LINES = 200
_SPACE = re.compile(r"\s")


def valid_url(line: str) -> bool:
    if len(line) > _MAX_URL or _SPACE.search(line) or not line.isprintable():
        return False
    try:
        parts = urlsplit(line)
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        return False
    del port
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines()


def looks_like_url_list(data: bytes) -> bool:
    """Most of the first non-comment lines are URLs (a text article has sentences instead)."""
    lines = [line.strip() for line in _lines(data[: 1 << 20])[:_SAMPLE_LINES]]
    lines = [line for line in lines if line and not line.startswith("#")]
    if not lines:
        return False
    urls = sum(valid_url(line) for line in lines)
    return urls >= 1 and urls * 2 >= len(lines)


def read_url_list(data: bytes, *, path: Path) -> Iterator[Entry]:
    found = 0
    for number, line in enumerate(_lines(data), 1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        if not valid_url(line):
            shown = line if len(line) <= 60 else line[:57] + "..."
            yield Skipped(f"{path}:{number}", f"not an http(s) URL: {shown!r}")
            continue
        found += 1
        yield Item(key=line, source=line, fetch=line)
    if found == 0:
        yield Skipped(str(path), "no URLs in the list")
