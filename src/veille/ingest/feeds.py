"""RSS and Atom feeds (files or fetched URLs) → one document per item (feedparser).

An item whose feed carries the article (``content:encoded``, a long ``description``) is ingested
from the feed; an item with only a teaser is read from its link (through the SSRF-guarded
fetcher, and only if the store does not know that URL yet). Feeds are bounded: at most
``settings.max_feed_items`` items are read (the document is cut after that item, so a feed with
100,000 items costs no more than one with the cap), the rest is reported as skipped.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import feedparser

from veille.ingest.items import Entry, Item, Skipped
from veille.ingest.raw import RawDocument
from veille.settings import Settings

_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_ITEM_END = re.compile(rb"</(?:[\w-]+:)?(?:item|entry)\s*>", re.IGNORECASE)
_CLOSERS = {b"rss": b"</channel></rss>", b"feed": b"</feed>", b"rdf:rdf": b"</rdf:RDF>"}
_TAG = re.compile(r"<[^>]+>")
# Fewer words than this in the feed's own text: a teaser, the article is behind the link.
MIN_ARTICLE_WORDS = 80


def looks_like_feed(head: bytes) -> bool:
    """True when the first bytes of a document open an RSS, Atom or RDF feed."""
    return _ROOT.search(head[:4096]) is not None


def bound_items(data: bytes, *, max_items: int, truncated: bool = False) -> tuple[bytes, int]:
    """The feed cut after its ``max_items``-th item (closed again), and how many items were cut off.

    ``truncated``: ``data`` is only the start of a larger feed; it is cut after its last complete
    item even when it has fewer than ``max_items``.
    """
    cut_at = None
    for count, match in enumerate(_ITEM_END.finditer(data), 1):
        cut_at = match.end()
        if count == max_items:
            break
    if cut_at is None:
        return data, 0
    rest = sum(1 for _ in _ITEM_END.finditer(data, cut_at))
    if rest == 0 and not truncated:
        return data, 0
    root = _ROOT.search(data[:4096])
    closer = _CLOSERS.get(root.group(1).lower(), b"") if root else b""
    return data[:cut_at] + closer, rest


def _words(html: str) -> int:
    return len(_TAG.sub(" ", html).split())


def _day(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return time.strftime("%Y-%m-%d", parsed)


def _body(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return best if len(best) >= len(summary) else summary


def read_feed(
    data: bytes, *, source: str, settings: Settings, fetch_links: bool = True, truncated: bool = False
) -> Iterator[Entry]:
    """The items of one feed document as :class:`Item`s (or :class:`Skipped` with a reason).

    ``truncated``: ``data`` is the first ``settings.max_input_bytes`` of a larger feed file.
    """
    bounded, cut = bound_items(data, max_items=settings.max_feed_items, truncated=truncated)
    try:
        parsed = feedparser.parse(bounded, sanitize_html=False, resolve_relative_uris=False)
        entries = parsed.get("entries") or []
    except (KeyError, ValueError, TypeError, AttributeError) as exc:  # feedparser on malformed markup
        yield Skipped(source, f"unreadable feed ({exc.__class__.__name__})")
        return
    if not entries:
        why = parsed.get("bozo_exception")
        reason = f"no feed items ({why.__class__.__name__})" if why else "no feed items"
        yield Skipped(source, reason)
        return
    outlet = (parsed.get("feed") or {}).get("title")
    for index, entry in enumerate(entries):
        try:
            link = entry.get("link")
        except (KeyError, ValueError, TypeError, AttributeError):  # feedparser's dict on broken items
            yield Skipped(f"{source}#{index}", "unreadable feed item")
            continue
        if link and not link.startswith(("http://", "https://")):
            link = None
        meta = {
            "title": entry.get("title") or "",
            "published": _day(entry) or "",
            "source": outlet or "",
            "url": link or "",
        }
        meta = {k: v for k, v in meta.items() if v}
        where = f"{source}#{entry.get('id') or link or index}"
        key = link or where
        body = _body(entry)
        if _words(body) >= MIN_ARTICLE_WORDS or (body.strip() and not (link and fetch_links)):
            raw = RawDocument(
                source=where, data=body.encode("utf-8"), url=link, content_type="text/html; charset=utf-8"
            )
            yield Item(key=key, source=where, raw=raw, meta=meta)
        elif link and fetch_links:
            yield Item(key=key, source=link, fetch=link, meta=meta)
        else:
            yield Skipped(where, "feed item has neither text nor link")
    if truncated:
        limit = settings.max_input_bytes
        yield Skipped(source, f"feed larger than {limit} bytes: items after the first {len(entries)} skipped")
    elif cut:
        yield Skipped(
            source, f"feed has {cut} more items than the {settings.max_feed_items}-item limit; skipped"
        )
