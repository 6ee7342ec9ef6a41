"""Tables of claim echoes: sentences an outlet states as fact that repeat a claim told elsewhere.

Created by migration ``0005_claim_echoes``; written by :mod:`veille.store.claim_echoes`, read by
:mod:`veille.store.read_claims`.

- ``asserted_statements``: an article's sentences stated in the outlet's own voice (no attribution,
  no quotation, no negation or denial), with their normalised content terms, so that a claim stored
  later is compared with them without re-reading the article.
- ``claim_echoes``: one asserted sentence that repeats one stored claim (of another article), with
  the similarity, what it rests on (``text``, ``event`` or both) and when the outlet said it.
- ``echo_scans``: which version of an article (its ``updated_at``) the sentences were read from;
  a changed article is read again, an unchanged one never (idempotent re-ingest).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from veille.store.base import Base, JsonType, utcnow


class AssertedStatement(Base):
    __tablename__ = "asserted_statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    terms: Mapped[str] = mapped_column(Text)  # sorted content terms, space-separated
    # Asserted events in the sentence: [event row id, CAMEO base code, source, target] each.
    events: Mapped[list[Any]] = mapped_column(JsonType, default=list)


class ClaimEcho(Base):
    __tablename__ = "claim_echoes"
    __table_args__ = (UniqueConstraint("statement_id", "claim_id", name="uq_claim_echoes_statement_claim"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("asserted_statements.id", ondelete="CASCADE"), index=True
    )
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    similarity: Mapped[float] = mapped_column(Float)
    basis: Mapped[str] = mapped_column(String(16))  # text | event | text+event
    seen: Mapped[dt.datetime] = mapped_column(DateTime)  # the echoing article's date (else ingest time)


class EchoScan(Base):
    __tablename__ = "echo_scans"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    article_updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    scanned_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


__all__ = ["AssertedStatement", "ClaimEcho", "EchoScan"]
