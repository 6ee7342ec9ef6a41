"""Claim echoes: sentences an outlet states as fact that repeat a claim reported, denied or
confirmed elsewhere ("repeated as fact by …").

Revision ID: 0005_claim_echoes
Revises: 0004_read_indexes
Create Date: 2026-11-28

Models: :mod:`veille.store.claim_echo_tables`. Existing stores get the tables empty; every article
counts as not yet scanned, and links are marked stale so that the next ingest's relink reads them
all once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_claim_echoes"
down_revision: str | None = "0004_read_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "asserted_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("events", _json(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_asserted_statements_article_id", "asserted_statements", ["article_id"], unique=False)
    op.create_table(
        "claim_echoes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["statement_id"], ["asserted_statements.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("statement_id", "claim_id", name="uq_claim_echoes_statement_claim"),
    )
    op.create_index("ix_claim_echoes_article_id", "claim_echoes", ["article_id"], unique=False)
    op.create_index("ix_claim_echoes_claim_id", "claim_echoes", ["claim_id"], unique=False)
    op.create_index("ix_claim_echoes_statement_id", "claim_echoes", ["statement_id"], unique=False)
    op.create_table(
        "echo_scans",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("article_updated_at", sa.DateTime(), nullable=False),
        sa.Column("scanned_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    # Stale links: the next relink scans every stored article for echoes (store_state, 0001).
    state = sa.table("store_state", sa.column("key", sa.String()), sa.column("value", sa.Text()))
    op.execute(state.delete().where(state.c.key == "links_dirty"))
    op.execute(state.insert().values(key="links_dirty", value="1"))


def downgrade() -> None:
    # Dropping a table drops its indexes; echoes first (they reference statements).
    op.drop_table("echo_scans")
    op.drop_table("claim_echoes")
    op.drop_table("asserted_statements")
