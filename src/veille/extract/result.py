"""What extract hands to annotate: clean text and what was learned or removed on the way."""

from __future__ import annotations

from dataclasses import dataclass, field

from veille.models import PublishedEvidence, Removed


@dataclass(frozen=True, kw_only=True)
class Extracted:
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    language_hint: str | None = None  # from <html lang>, metadata or the container
    published: str | None = None  # YYYY-MM-DD from metadata (htmldate, meta tags, container)
    published_evidence: tuple[PublishedEvidence, ...] = ()
    removed: tuple[Removed, ...] = field(default_factory=tuple)
    is_html: bool = False
