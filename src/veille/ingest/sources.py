"""Read one source named by the user: a file path, ``-`` for stdin, or an http(s) URL.

Every reader stops at ``settings.max_input_bytes`` without reading the rest: a file's size is
checked before it is opened, stdin and URLs are read with a bounded read.
"""

from __future__ import annotations

import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from veille.errors import FetchError, InputError
from veille.ingest.fetch import fetch_url
from veille.ingest.raw import RawDocument
from veille.settings import Settings

# "scheme:" at the start of a source. One-letter schemes are Windows drive letters ("C:\\page.html").
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
# Schemes that name something other than a local path even without "//" ("data:text/html,…").
_OPAQUE_SCHEMES = frozenset({"file", "data", "javascript", "mailto", "ftp", "ftps", "gopher", "ws", "wss"})


def _url_scheme(source: str) -> str | None:
    match = _SCHEME.match(source)
    if match is None:
        return None
    scheme = match.group(1).lower()
    if scheme in {"http", "https"} or scheme in _OPAQUE_SCHEMES or source[match.end() :].startswith("//"):
        return scheme
    return None


def read_source(source: str, *, settings: Settings) -> RawDocument:
    """Read a file, stdin (``-``) or an http(s) URL; raise InputError / FetchError on bad sources."""
    if source == "-":
        data = _read_bounded(sys.stdin.buffer, limit=settings.max_input_bytes, source=source)
        return RawDocument(source=source, data=data)
    scheme = _url_scheme(source)
    if scheme in {"http", "https"}:
        return fetch_url(source, settings=settings.fetch, max_bytes=settings.max_input_bytes)
    if scheme is not None:
        raise FetchError(f"refused {scheme}: URL (only http and https are fetched)", source=source)
    return read_file(Path(source), limit=settings.max_input_bytes, source=source)


def read_file(path: Path, *, limit: int, source: str) -> RawDocument:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("no such file", source=source) from None
    except PermissionError:
        raise InputError("permission denied", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", source=source) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory, not a file", source=source)
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise InputError(f"input larger than the {limit}-byte limit ({info.st_size} bytes)", source=source)
    try:
        with path.open("rb") as handle:  # FIFOs and devices: the bounded read still applies
            data = _read_bounded(handle, limit=limit, source=source)
    except PermissionError:
        raise InputError("permission denied", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", source=source) from None
    return RawDocument(source=source, data=data)


def _read_bounded(handle: BinaryIO, *, limit: int, source: str) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"input larger than the {limit}-byte limit", source=source)
    return data
