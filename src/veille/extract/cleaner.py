"""Entry of the extract stage (minimal: decode; the cascade lands with the extract work)."""

from __future__ import annotations

from veille.errors import InputError
from veille.extract.result import Extracted
from veille.ingest.raw import RawDocument


def extract(raw: RawDocument, *, max_chars: int) -> Extracted:
    text = raw.text if raw.text is not None else (raw.data or b"").decode("utf-8", errors="replace")
    if len(text) > max_chars:
        raise InputError(f"text longer than {max_chars} characters", source=raw.source)
    return Extracted(text=text)
