"""Tables of ``veille watch``: watched sources and their polling state, items seen, alerts, deliveries.

Created by migration ``0003_watch``. The watcher (:mod:`veille.watch`) writes them; the web UI reads
alerts through :mod:`veille.store.read_alerts`.

- ``watch_sources``: one feed, sitemap, URL list or page under watch, with what a restart needs to
  resume exactly: the conditional-GET validators (ETag, Last-Modified), ``cursor`` (sha256 of the
  last document whose items were all processed), error count and the next time it is due.
- ``watch_items``: every item key a source listed, and the article it resolved to; a copy of an
  article already stored (same bytes under another URL) points to that article, analysed once.
- ``alerts``: typed alerts with their evidence; ``fingerprint`` makes detection idempotent.
- ``alert_deliveries``: one row per (alert, destination), written *before* sending, so an alert
  reaches a destination at most once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from veille.store.base import Base, JsonType, utcnow


class WatchSource(Base):
    __tablename__ = "watch_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)  # http(s) URL, or file:// for a local file
    kind: Mapped[str | None] = mapped_column(String(16))  # feed | sitemap | urllist | page
    cursor: Mapped[str | None] = mapped_column(String(64))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_checked: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_success: Mapped[dt.datetime | None] = mapped_column(DateTime)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_due: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class WatchItem(Base):
    __tablename__ = "watch_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)  # the store's source_key (the item's URL)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("watch_sources.id", ondelete="SET NULL"), index=True
    )
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    # Hash of what the feed or sitemap said about the item (title, dates): a known link is read
    # again only when this changes.
    signature: Mapped[str | None] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)  # title, published, outlet
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed reads or analyses in a row
    last_error: Mapped[str | None] = mapped_column(Text)
    next_retry: Mapped[dt.datetime | None] = mapped_column(DateTime)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Alert(Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(16), index=True
    )  # new_claim | status_change | contradiction | burst
    rule: Mapped[str] = mapped_column(String(128), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    claim_id: Mapped[int | None] = mapped_column(Integer, index=True)  # claim cluster id when detected
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    status: Mapped[str | None] = mapped_column(String(16))
    previous_status: Mapped[str | None] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    # [{"article_id", "start", "end", "text", "role"}]: offsets into that article's clean text.
    evidence: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class AlertDelivery(Base):
    __tablename__ = "alert_deliveries"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    destination: Mapped[str] = mapped_column(String(512), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # sending | sent | failed | retry
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


__all__ = ["Alert", "AlertDelivery", "WatchItem", "WatchSource"]
