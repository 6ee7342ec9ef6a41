"""Stand-ins for the watcher's tests: feed and page builders, and a fast deterministic analyser.

The fake analyser reads marker lines from a page's paragraphs, so that tests about scheduling,
exactly-once ingest, crashes and alerts run without spaCy (the acceptance test uses the real one):
``CLAIM key status: text`` makes a claim (status reported/unverified/denied/confirmed) with that
linking key; ``EVENT cameo country[ SOURCE>TARGET][ claimed cN]: text`` makes an event in that
country (asserted, or claimed as part of the article's claim ``cN``).
"""

from __future__ import annotations

import hashlib
import html
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime

from veille.ingest.raw import RawDocument
from veille.models import (
    Analysis,
    Article,
    Claim,
    ClaimEvidence,
    Event,
    EventActor,
    EventPlace,
    Evidence,
    Failure,
    Published,
)

_PARA = re.compile(r"<p>(.*?)</p>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_SITE = re.compile(r'<meta property="og:site_name" content="([^"]*)"')
_CLAIM = re.compile(r"^CLAIM (\w+) (\w+): (.+)$")
_EVENT = re.compile(r"^EVENT (\d+) (\w\w)(?: (\w+)>(\w+))?(?: (claimed) (c\d+))?: (.+)$")


def page(title: str, outlet: str, *paragraphs: str, published: str = "2025-03-10") -> str:
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>{html.escape(title)}</title>\n'
        f'<meta property="og:site_name" content="{html.escape(outlet)}">\n'
        f'<meta property="article:published_time" content="{published}T08:00:00+01:00"></head>\n'
        f"<body><article><h1>{html.escape(title)}</h1>\n{body}</article></body></html>\n"
    )


def rss(title: str, items: Sequence[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed; each item is (title, link, teaser)."""
    when = format_datetime(datetime(2025, 3, 10, 8, tzinfo=UTC))
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link>"
        f"<guid>{html.escape(link)}</guid><pubDate>{when}</pubDate>"
        f"<description>{html.escape(teaser)}</description></item>\n"
        for t, link, teaser in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>http://example.org/</link>"
        f"<description>test feed</description>\n{entries}</channel></rss>\n"
    )


def _text(raw: RawDocument) -> tuple[str, str | None, str | None]:
    data = (raw.data or b"").decode("utf-8") if raw.data is not None else raw.text or ""
    paras = [html.unescape(p) for p in _PARA.findall(data)] or [data]
    title = _TITLE.search(data)
    site = _SITE.search(data)
    return (
        "\n".join(paras),
        html.unescape(title.group(1)) if title else None,
        html.unescape(site.group(1)) if site else None,
    )


def fake_analysis(raw: RawDocument) -> Analysis:
    text, title, outlet = _text(raw)
    claims: list[Claim] = []
    events: list[Event] = []
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if match := _CLAIM.match(line):
            key, status, content = match.groups()
            role = {"denied": "denial", "confirmed": "confirmation"}.get(status, "statement")
            evidence = [ClaimEvidence(start=start, end=end, text=line, role="statement")]
            if role != "statement":
                evidence.append(ClaimEvidence(start=start, end=end, text=line, role=role))
            claims.append(
                Claim(
                    id=f"c{len(claims)}",
                    text=content,
                    status=status,  # type: ignore[arg-type]
                    origin=outlet,
                    chain=(outlet,) if outlet else (),
                    evidence=tuple(evidence),
                    key=f"k{key}",
                )
            )
        elif match := _EVENT.match(line):
            cameo, country, source, target, claimed, claim_id, _what = match.groups()
            events.append(
                Event(
                    id=f"e{len(events)}",
                    cameo=cameo,
                    source=EventActor(text=source, code=source) if source else None,
                    target=EventActor(text=target, code=target) if target else None,
                    modality="claimed" if claimed else "asserted",
                    claim_id=claim_id,
                    place=EventPlace(name=country, country=country),
                    confidence=0.9,
                    evidence=Evidence(start=start, end=end, text=line),
                )
            )
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    article = Article(
        id=digest,
        url=raw.url,
        title=title,
        language="fr",
        text=text,
        source=outlet,
        published=Published(date="2025-03-10", source="metadata"),
    )
    return Analysis(veille_version="test", article=article, claims=tuple(claims), events=tuple(events))


class CountingAnalyzer:
    """``analyze_many`` stand-in: counts documents, optionally slow, optionally the real pipeline."""

    def __init__(self, *, delay: float = 0.0, real: bool = False) -> None:
        self.delay = delay
        self.real = real
        self.documents: list[str] = []

    def __call__(self, sources: Iterable[RawDocument], **kw: object) -> Iterator[Analysis | Failure]:
        items = list(sources)
        self.documents += [s.source for s in items]
        if self.real:
            from veille.pipeline import analyze_many

            yield from analyze_many(items, **kw)  # type: ignore[arg-type]
            return
        for raw in items:
            if self.delay:
                time.sleep(self.delay)
            yield fake_analysis(raw)
