"""What a watched document lists: feed items, sitemap URLs, URL-list lines, or the page itself.

Feeds and URL lists are read by issue A's readers (:mod:`veille.ingest.feeds`,
:mod:`veille.ingest.urllist`); sitemaps (``<urlset>``, Google News sitemaps, ``<sitemapindex>``) are
parsed here with a hardened XML parser (no entities, no network, no DTD). Every item carries a
*signature*: what the container said about it (title, dates). A known link is read again only when
its signature changes (a sitemap's ``lastmod``, a feed item's updated date), which is how changed
articles get re-analysed without re-reading every known page on every cycle.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from veille.ingest.feeds import looks_like_feed, read_feed
from veille.ingest.items import Item, Skipped
from veille.ingest.raw import RawDocument
from veille.ingest.urllist import looks_like_url_list, read_url_list, valid_url
from veille.settings import Settings

Kind = Literal["feed", "sitemap", "sitemapindex", "urllist", "page"]
_SITEMAP_ROOT = re.compile(rb"<(?:[\w-]+:)?(urlset|sitemapindex)[\s>]")
_GZIP = b"\x1f\x8b"
MAX_SITEMAP_URLS = 50_000  # the sitemaps.org limit per file
MAX_CHILD_SITEMAPS = 50


@dataclass(frozen=True, kw_only=True)
class Listed:
    """An item a document lists: its store key, and either its document or a link to read."""

    key: str
    source: str
    raw: RawDocument | None = None
    fetch: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    signature: str = ""


@dataclass(frozen=True)
class Listing:
    kind: Kind
    items: list[Listed]
    skipped: list[Skipped]
    children: list[str]  # sitemaps named by a sitemap index, to read in the same cycle


def signature(meta: dict[str, str], *extra: str) -> str:
    text = "\x1f".join([meta.get("title", ""), meta.get("published", ""), *extra])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def gunzip(data: bytes, *, limit: int) -> bytes:
    """Decompress a gzip body (``sitemap.xml.gz``), stopping at ``limit`` bytes (a gzip bomb)."""
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
        out = handle.read(limit + 1)
    if len(out) > limit:
        raise ValueError(f"more than {limit} bytes after decompression")
    return out


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _day(value: str | None) -> str:
    value = (value or "").strip()
    return value[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", value) else ""


def parse_sitemap(data: bytes, *, source: str) -> tuple[list[Listed], list[str], list[Skipped]]:
    """``(pages, child sitemaps, skipped)`` of a sitemap or sitemap index; never raises on bad input."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        return [], [], [Skipped(source, f"not a sitemap ({type(exc).__name__})")]
    if root is None:
        return [], [], [Skipped(source, "not a sitemap (empty document)")]
    pages: list[Listed] = []
    children: list[str] = []
    skipped: list[Skipped] = []
    is_index = _local(root.tag) == "sitemapindex"
    for entry in root:
        if _local(entry.tag) not in {"url", "sitemap"}:
            continue
        values = {
            _local(child.tag): (child.text or "").strip() for child in entry.iter() if child is not entry
        }
        loc = values.get("loc", "")
        if not valid_url(loc):
            skipped.append(Skipped(source, f"sitemap entry without a valid http(s) <loc>: {loc[:60]!r}"))
            continue
        if is_index:
            if len(children) < MAX_CHILD_SITEMAPS:
                children.append(loc)
            continue
        if len(pages) >= MAX_SITEMAP_URLS:
            skipped.append(Skipped(source, f"more than {MAX_SITEMAP_URLS} URLs; the rest skipped"))
            break
        meta = {
            "title": values.get("title", ""),  # news:title
            "published": _day(values.get("publication_date")) or _day(values.get("lastmod")),
            "url": loc,
        }
        meta = {k: v for k, v in meta.items() if v}
        pages.append(
            Listed(
                key=loc,
                source=loc,
                fetch=loc,
                meta=meta,
                signature=signature(meta, values.get("lastmod", "")),
            )
        )
    return pages, children, skipped


def classify(data: bytes) -> Kind:
    head = data[:4096]
    if looks_like_feed(head):
        return "feed"
    sitemap = _SITEMAP_ROOT.search(head)
    if sitemap is not None:
        return "sitemapindex" if sitemap.group(1) == b"sitemapindex" else "sitemap"
    if looks_like_url_list(data):
        return "urllist"
    return "page"


def _from_item(item: Item) -> Listed:
    if item.raw is not None:
        return Listed(
            key=item.key, source=item.source, raw=item.raw, meta=item.meta, signature=signature(item.meta)
        )
    return Listed(
        key=item.key, source=item.source, fetch=item.fetch, meta=item.meta, signature=signature(item.meta)
    )


def _split(entries: Iterator[Item | Skipped]) -> tuple[list[Listed], list[Skipped]]:
    items: list[Listed] = []
    skipped: list[Skipped] = []
    for entry in entries:
        if isinstance(entry, Item):
            items.append(_from_item(entry))
        elif not entry.reason.startswith("no feed items"):  # an empty feed is not a problem
            skipped.append(entry)
    return items, skipped


def list_document(raw: RawDocument, *, key: str, settings: Settings) -> Listing:
    """What the document at ``key`` lists (the document itself when it is a page)."""
    data = raw.data or (raw.text or "").encode("utf-8")
    if data.startswith(_GZIP):
        try:
            data = gunzip(data, limit=settings.max_input_bytes)
        except (OSError, EOFError, ValueError) as exc:
            return Listing("page", [], [Skipped(key, f"bad gzip document ({exc})")], [])
    kind = classify(data)
    if kind == "feed":
        try:
            items, skipped = _split(read_feed(data, source=key, settings=settings, fetch_links=True))
        except Exception as exc:  # feedparser's loose parser raises on some broken markup
            return Listing(kind, [], [Skipped(key, f"unreadable feed ({type(exc).__name__})")], [])
        return Listing(kind, items, skipped, [])
    if kind in {"sitemap", "sitemapindex"}:
        pages, children, skipped = parse_sitemap(data, source=key)
        return Listing(kind, pages, skipped, children)
    if kind == "urllist":
        items, skipped = _split(read_url_list(data, path=Path(key)))
        return Listing(kind, items, skipped, [])
    page = Listed(key=key, source=key, raw=raw, signature="")
    return Listing("page", [page], [], [])
