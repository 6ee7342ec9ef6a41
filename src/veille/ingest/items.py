"""What the container readers yield: documents to ingest (:class:`Item`) or skipped inputs (:class:`Skipped`).

Also the bounded readers they share: a gzip-aware binary stream that stops at a decompressed-size
cap (gzip bombs), and a line reader that skips over-long lines without holding them in memory.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from veille.errors import InputError
from veille.ingest.raw import RawDocument

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16


@dataclass(frozen=True, kw_only=True)
class Item:
    """One document to ingest. ``key`` identifies it in the store (the URL when known).

    Either ``raw`` is already read, or ``fetch`` names a URL read only if the store does not know
    ``key`` yet (so re-running a feed or URL list does not fetch known pages again).
    """

    key: str
    source: str  # for messages: path, path#id, URL
    raw: RawDocument | None = None
    fetch: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    def load(self, reader: Callable[[str], RawDocument]) -> RawDocument:
        """The document, fetching it with ``reader`` when needed; container meta merged in."""
        raw = self.raw
        if raw is None:
            if self.fetch is None:
                raise InputError("nothing to read", source=self.source)
            raw = reader(self.fetch)
        if self.meta:
            raw = dataclasses.replace(raw, meta={**self.meta, **raw.meta})
        return raw


@dataclass(frozen=True)
class Skipped:
    """An input (or part of one) that was not ingested, and why."""

    source: str
    reason: str


Entry = Item | Skipped


class CappedReader(io.RawIOBase):
    """Read-only stream that raises :class:`InputError` once more than ``limit`` bytes came out of it."""

    def __init__(self, inner: IO[bytes], *, limit: int, source: str) -> None:
        self._inner = inner
        self._limit = limit
        self._source = source
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        self.count += len(data)
        if self.count > self._limit:
            raise InputError(
                f"more than {self._limit} bytes after decompression (gzip bomb?); rest of the file skipped",
                source=self._source,
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == _GZIP_MAGIC


def open_capped(path: Path, *, limit: int) -> io.BufferedReader:
    """Open a file, decompressing gzip (by its magic bytes), with a cap on the bytes read out of it."""
    # The returned reader owns (and closes) the file.
    inner: IO[bytes] = gzip.open(path, "rb") if is_gzip(path) else path.open("rb")  # type: ignore[assignment]  # noqa: SIM115
    return io.BufferedReader(CappedReader(inner, limit=limit, source=str(path)), buffer_size=_CHUNK)


def iter_lines(stream: IO[bytes], *, max_line: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)`` pairs; an over-long line comes as ``None`` and is skipped in chunks."""
    number = 0
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        number += 1
        if len(line) > max_line and not line.endswith(b"\n"):
            while True:  # drain the rest of the line without keeping it
                rest = stream.readline(_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


# Errors a damaged compressed or binary file raises while being read.
READ_ERRORS: tuple[type[Exception], ...] = (OSError, EOFError, zlib.error, gzip.BadGzipFile)
