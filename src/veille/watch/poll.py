"""Reading watched documents and the pages they list, concurrently, through the polite client.

A source is *unchanged* when the server answers 304 to the conditional GET, or when the document's
bytes hash to the cursor saved after the last complete processing (servers without validators).
A sitemap index's child sitemaps are read in the same cycle. Local files (``file://``) are read from
disk, bounded like any input.
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import anyio.to_thread

from veille.errors import FetchError, VeilleError
from veille.ingest.items import Skipped
from veille.ingest.raw import RawDocument
from veille.ingest.sources import read_file
from veille.settings import Settings
from veille.store.write import content_hash
from veille.watch.documents import Listed, Listing, list_document
from veille.watch.http import Fetched, HTTPStatusError, PoliteClient
from veille.watch.state import SourceState

Outcome = Literal["changed", "unchanged", "failed"]


@dataclass
class Poll:
    source: SourceState
    outcome: Outcome
    kind: str | None = None
    digest: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    listing: Listing | None = None
    error: str | None = None
    retry_after: float | None = None
    keys: list[str] = field(default_factory=list)  # the items this source waits for


def file_path(url: str) -> Path | None:
    return Path(url.removeprefix("file://")) if url.startswith("file://") else None


def _raw(fetched: Fetched, *, source: str) -> RawDocument:
    return RawDocument(
        source=source,
        data=fetched.data,
        url=fetched.url,
        content_type=fetched.content_type,
        charset=fetched.charset,
    )


async def _read(client: PoliteClient, source: SourceState, *, settings: Settings) -> Fetched:
    path = file_path(source.url)
    if path is None:
        return await client.get(source.url, etag=source.etag, last_modified=source.last_modified)
    raw = await anyio.to_thread.run_sync(
        lambda: read_file(path, limit=settings.max_input_bytes, source=str(path))
    )
    return Fetched(url=source.url, status=200, data=raw.data or b"")


async def _children(client: PoliteClient, listing: Listing, *, settings: Settings) -> Listing:
    """A sitemap index with the pages of its child sitemaps (a failing child is skipped)."""
    results = await asyncio.gather(*(client.get(url) for url in listing.children), return_exceptions=True)
    items, skipped = list(listing.items), list(listing.skipped)
    for url, result in zip(listing.children, results, strict=True):
        if isinstance(result, VeilleError):
            skipped.append(Skipped(url, result.message))
        elif isinstance(result, BaseException):
            raise result
        else:
            child = list_document(_raw(result, source=url), key=url, settings=settings)
            items += child.items
            skipped += child.skipped
    return Listing(listing.kind, items, skipped, [])


async def poll_source(client: PoliteClient, source: SourceState, *, settings: Settings) -> Poll:
    try:
        fetched = await _read(client, source, settings=settings)
    except HTTPStatusError as exc:
        return Poll(source, "failed", error=exc.message, retry_after=exc.retry_after)
    except VeilleError as exc:
        return Poll(source, "failed", error=exc.message)
    if fetched.status == 304:
        return Poll(
            source, "unchanged", kind=source.kind, etag=source.etag, last_modified=source.last_modified
        )
    digest = content_hash(fetched.data)
    etag, modified = fetched.etag, fetched.last_modified
    if digest == source.cursor:
        return Poll(source, "unchanged", kind=source.kind, digest=digest, etag=etag, last_modified=modified)
    listing = list_document(_raw(fetched, source=source.url), key=source.url, settings=settings)
    if listing.children:
        listing = await _children(client, listing, settings=settings)
    return Poll(
        source,
        "changed",
        kind=listing.kind,
        digest=digest,
        etag=etag,
        last_modified=modified,
        listing=listing,
    )


async def fetch_page(client: PoliteClient, item: Listed) -> RawDocument | FetchError:
    """The page an item links to, with the container's metadata merged in (or why it failed)."""
    assert item.fetch is not None
    try:
        fetched = await client.get(item.fetch)
    except FetchError as exc:
        return exc
    raw = _raw(fetched, source=item.fetch)
    return dataclasses.replace(raw, meta={**item.meta, **raw.meta}) if item.meta else raw
