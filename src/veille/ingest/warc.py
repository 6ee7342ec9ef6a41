"""WARC files (``.warc``, ``.warc.gz``): HTML and text responses become documents (warcio).

Only ``response`` (and ``resource``) records with an HTML or plain-text payload and a 2xx status
are kept; requests, metadata, images, redirects are not articles and are passed over silently.
A damaged record is :class:`Skipped` with its offset and reading resumes at the next record
(the next gzip member, or the next ``WARC/`` header line), so one bad record loses nothing
else. Records declaring more than the per-document cap are jumped over without being
decompressed, and the file stops once the decompressed total passes the container cap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from veille.ingest.items import READ_ERRORS, Entry, Item, Skipped
from veille.ingest.raw import RawDocument
from veille.settings import Settings

_TEXTUAL = ("text/html", "application/xhtml+xml", "text/plain")
_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_HEADER = re.compile(rb"(?:^|\r?\n)WARC/\d")
_SCAN_CHUNK = 1 << 20


def _next_start(handle: IO[bytes], after: int, *, gzipped: bool) -> int | None:
    """Offset of the first record start strictly after ``after``, or None at the end of the file."""
    position = after + 1
    overlap = 8
    while True:
        handle.seek(position)
        chunk = handle.read(_SCAN_CHUNK)
        if not chunk:
            return None
        if gzipped:
            found = chunk.find(_GZIP_MEMBER)
            if found >= 0:
                return position + found
        else:
            match = _WARC_HEADER.search(chunk)
            if match:
                return position + match.end() - len(b"WARC/") - 1
        if len(chunk) < _SCAN_CHUNK:
            return None
        position += len(chunk) - overlap


def _http_status(record: Any) -> int | None:
    if record.http_headers is None:
        return None
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def _content_type(record: Any) -> str:
    if record.http_headers is not None:
        return str(record.http_headers.get_header("Content-Type") or "")
    return str(record.rec_headers.get_header("Content-Type") or "")


def _wanted(record: Any) -> bool:
    if record.rec_type not in {"response", "resource"}:
        return False
    if not _content_type(record).split(";")[0].strip().lower().startswith(_TEXTUAL):
        return False
    status = _http_status(record)
    return status is None or 200 <= status < 300


def _declared_length(record: Any) -> int:
    try:
        return int(record.rec_headers.get_header("Content-Length") or 0)
    except ValueError:
        return 0


def _item(record: Any, data: bytes, *, path: Path, offset: int) -> Item:
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    source = f"{path}#{uri or offset}"
    meta = {"warc_date": record.rec_headers.get_header("WARC-Date") or ""}
    if uri:
        meta["url"] = uri
    raw = RawDocument(
        source=source,
        data=data,
        url=uri,
        content_type=_content_type(record) or None,
        meta={k: v for k, v in meta.items() if v},
    )
    key = uri if uri and uri.startswith(("http://", "https://")) else f"{path.name}#{offset}"
    return Item(key=key, source=source, raw=raw)


def read_warc(path: Path, *, settings: Settings) -> Iterator[Entry]:
    """Stream the documents of a WARC file; damaged records are skipped with their offset."""
    cap, total_cap = settings.max_input_bytes, settings.max_decompressed_bytes
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Skipped(str(path), f"cannot read ({exc.strerror or exc})")
        return
    with handle:
        gzipped = handle.read(2) == _GZIP_MEMBER[:2]
        start: int | None = 0
        total, found = 0, 0
        while start is not None:
            handle.seek(start)
            iterator = ArchiveIterator(handle)
            resync_from: int | None = None
            try:
                for record in iterator:
                    offset = iterator.offset
                    length = _declared_length(record)
                    total += length
                    if total > total_cap:
                        yield Skipped(
                            str(path), f"more than {total_cap} bytes of records; rest of the file skipped"
                        )
                        return
                    if length > cap and gzipped:
                        if _wanted(record):
                            yield Skipped(f"{path}@{offset}", f"record larger than {cap} bytes")
                        resync_from = offset  # jump over it without decompressing it
                        break
                    if not _wanted(record):
                        continue
                    data = record.content_stream().read(cap + 1)
                    if len(data) > cap:
                        yield Skipped(f"{path}@{offset}", f"record larger than {cap} bytes")
                        continue
                    found += 1
                    yield _item(record, data, path=path, offset=offset)
            except (ArchiveLoadFailed, ValueError, *READ_ERRORS) as exc:
                offset = iterator.offset
                yield Skipped(f"{path}@{offset}", f"damaged WARC record ({exc.__class__.__name__}); skipped")
                resync_from = offset
            start = None if resync_from is None else _next_start(handle, resync_from, gzipped=gzipped)
        if found == 0 and total == 0:
            yield Skipped(str(path), "no WARC records found")
