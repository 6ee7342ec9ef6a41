"""Read one source named by the user: a file path or ``-`` for stdin. (URLs: see fetch.py.)"""

from __future__ import annotations

import sys
from pathlib import Path

from veille.errors import InputError
from veille.ingest.raw import RawDocument
from veille.settings import Settings


def read_source(source: str, *, settings: Settings) -> RawDocument:
    if source == "-":
        data = sys.stdin.buffer.read(settings.max_input_bytes + 1)
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError("no such file", source=source)
        data = path.read_bytes()
    if len(data) > settings.max_input_bytes:
        raise InputError(f"input larger than {settings.max_input_bytes} bytes", source=source)
    if not data.strip():
        raise InputError("empty input", source=source)
    return RawDocument(source=source, data=data)
