"""What ingest hands to extract: raw bytes plus whatever metadata the source itself carried."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class RawDocument:
    """One page as read from its source, before any cleaning.

    ``data`` holds bytes (files, URLs, WARC records); ``text`` holds already-decoded text (corpus
    JSONL records, stdin read as text). Exactly one of them is set.
    """

    source: str  # what the user named: a path, "-", a URL, "corpus.jsonl#id"
    data: bytes | None = None
    text: str | None = None
    url: str | None = None  # final URL after redirects, or the container's URL
    content_type: str | None = None  # e.g. "text/html; charset=utf-8" from HTTP headers
    charset: str | None = None  # the charset the HTTP headers declared, if any
    # Metadata the container gave (corpus JSONL, RSS item, WARC headers): title, published, lang,
    # url, source (the outlet).
    meta: dict[str, str] = field(default_factory=dict)
