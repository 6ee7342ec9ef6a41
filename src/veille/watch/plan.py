"""What to do with each item a cycle saw: skip it, read its link, or analyse it (exactly once).

The rules, per item key (the URL; the store's ``source_key``):

- a key listed by several sources, or twice, is handled once per cycle;
- an item carrying its document (a feed with full text, a watched page) is analysed when its
  content hash differs from the one stored under its key (issue E's rule: changed content is
  analysed again), else skipped;
- a link is read only when the key is unknown, when the container's signature of it changed
  (``lastmod``, feed dates), or when an earlier read failed and its retry time has come;
- a document whose bytes are already stored under another key is a *copy*: its key is linked to
  that article, and nothing is analysed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from veille.ingest.raw import RawDocument
from veille.store.write import content_hash
from veille.watch.documents import Listed
from veille.watch.state import MAX_ITEM_ATTEMPTS, ItemState


@dataclass(frozen=True)
class Candidate:
    """A document that is new or changed under its key: analysed unless it is a copy."""

    item: Listed
    raw: RawDocument
    digest: str
    source_id: int | None
    previous: ItemState | None


@dataclass
class Plan:
    candidates: list[Candidate] = field(default_factory=list)
    to_fetch: list[tuple[Listed, int | None, ItemState | None]] = field(default_factory=list)
    settled: set[str] = field(default_factory=set)  # keys with nothing to do this cycle
    unchanged: int = 0
    waiting: int = 0  # failed before, retry not due yet


def raw_digest(raw: RawDocument) -> str:
    return content_hash(raw.data if raw.data is not None else raw.text or "")


def decide(listed: list[tuple[Listed, int | None]], known: dict[str, ItemState], *, now: dt.datetime) -> Plan:
    plan = Plan()
    seen: set[str] = set()
    for item, source_id in listed:
        if item.key in seen:
            continue
        seen.add(item.key)
        previous = known.get(item.key)
        if item.raw is not None:
            digest = raw_digest(item.raw)
            if previous is not None and previous.content_hash == digest and previous.article_id is not None:
                plan.unchanged += 1
            elif (
                previous is not None
                and previous.content_hash == digest
                and previous.attempts >= MAX_ITEM_ATTEMPTS
            ):
                plan.waiting += 1  # this very content could not be analysed: wait until it changes
            else:
                raw = item.raw
                if item.meta:
                    raw = dataclasses.replace(raw, meta={**item.meta, **raw.meta})
                plan.candidates.append(Candidate(item, raw, digest, source_id, previous))
            continue
        if previous is None:
            plan.to_fetch.append((item, source_id, None))
            continue
        changed = bool(item.signature and previous.signature and item.signature != previous.signature)
        if previous.article_id is not None:
            if changed:
                plan.to_fetch.append((item, source_id, previous))
            else:
                plan.unchanged += 1
                plan.settled.add(item.key)
        elif changed or (
            previous.attempts < MAX_ITEM_ATTEMPTS
            and (previous.next_retry is None or previous.next_retry <= now)
        ):
            plan.to_fetch.append((item, source_id, previous))
        else:
            plan.waiting += 1
            plan.settled.add(item.key)
    return plan


def item_row(
    item: Listed,
    *,
    source_id: int | None,
    now: dt.datetime,
    article_id: int | None,
    digest: str | None,
    attempts: int = 0,
    error: str | None = None,
    next_retry: dt.datetime | None = None,
    signature: str | None = None,
) -> dict[str, Any]:
    """A ``watch_items`` row (insert or update by key)."""
    return {
        "key": item.key,
        "source_id": source_id,
        "article_id": article_id,
        "content_hash": digest,
        "signature": signature if signature is not None else (item.signature or None),
        "meta": dict(item.meta),
        "attempts": attempts,
        "last_error": error,
        "next_retry": next_retry,
        "first_seen": now,
        "last_seen": now,
    }
