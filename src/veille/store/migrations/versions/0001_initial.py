"""Initial schema: articles, their records, dedup, links, mentions, ingest runs.

Revision ID: 0001_initial
Revises: (none)
Create Date: 2026-11-26 13:09:00.557306
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_clusters",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("first_article_id", sa.Integer(), nullable=False),
        sa.Column("num_mentions", sa.Integer(), nullable=False),
        sa.Column("num_sources", sa.Integer(), nullable=False),
        sa.Column("num_articles", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("contradiction", sa.Boolean(), nullable=False),
        sa.Column(
            "by_status",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "asserted_by",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_claim_clusters_contradiction", "claim_clusters", ["contradiction"], unique=False)
    op.create_index("ix_claim_clusters_key", "claim_clusters", ["key"], unique=False)
    op.create_index("ix_claim_clusters_status", "claim_clusters", ["status"], unique=False)

    op.create_table(
        "event_clusters",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_code", sa.String(length=8), nullable=False),
        sa.Column("base_code", sa.String(length=8), nullable=False),
        sa.Column("root_code", sa.String(length=4), nullable=False),
        sa.Column("source_code", sa.String(length=64), nullable=True),
        sa.Column("target_code", sa.String(length=64), nullable=True),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("first_event_id", sa.Integer(), nullable=False),
        sa.Column("first_article_id", sa.Integer(), nullable=False),
        sa.Column("num_mentions", sa.Integer(), nullable=False),
        sa.Column("num_sources", sa.Integer(), nullable=False),
        sa.Column("num_articles", sa.Integer(), nullable=False),
        sa.Column(
            "modalities",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_event_clusters_date", "event_clusters", ["date"], unique=False)
    op.create_index("ix_event_clusters_root_code", "event_clusters", ["root_code"], unique=False)
    op.create_index("ix_event_clusters_source_code", "event_clusters", ["source_code"], unique=False)
    op.create_index("ix_event_clusters_target_code", "event_clusters", ["target_code"], unique=False)

    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "inputs",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("n_new", sa.Integer(), nullable=False),
        sa.Column("n_unchanged", sa.Integer(), nullable=False),
        sa.Column("n_updated", sa.Integer(), nullable=False),
        sa.Column("n_failed", sa.Integer(), nullable=False),
        sa.Column("veille_version", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "store_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("canonical_url", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_source", sa.String(length=16), nullable=True),
        sa.Column(
            "published_evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("dedup_group", sa.Integer(), nullable=True),
        sa.Column("is_canonical", sa.Boolean(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column(
            "analysis",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("veille_version", sa.String(length=32), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["ingest_runs.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_key"),
    )
    op.create_index("ix_articles_canonical_url", "articles", ["canonical_url"], unique=False)
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"], unique=False)
    op.create_index("ix_articles_dedup_group", "articles", ["dedup_group"], unique=False)
    op.create_index("ix_articles_language", "articles", ["language"], unique=False)
    op.create_index("ix_articles_outlet", "articles", ["outlet"], unique=False)
    op.create_index("ix_articles_published", "articles", ["published"], unique=False)
    op.create_index("ix_articles_run_id", "articles", ["run_id"], unique=False)
    op.create_index("ix_articles_text_hash", "articles", ["text_hash"], unique=False)
    op.create_index("ix_articles_uid", "articles", ["uid"], unique=False)

    op.create_table(
        "ingest_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["ingest_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ingest_failures_run_id", "ingest_failures", ["run_id"], unique=False)

    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("kb_id", sa.String(length=64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_actors_article_id", "actors", ["article_id"], unique=False)
    op.create_index("ix_actors_code", "actors", ["code"], unique=False)
    op.create_index("ix_actors_name", "actors", ["name"], unique=False)

    op.create_table(
        "article_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=True),
        sa.Column("range_start", sa.String(length=32), nullable=True),
        sa.Column("range_end", sa.String(length=32), nullable=True),
        sa.Column("timex", sa.String(length=64), nullable=True),
        sa.Column("mod", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_article_dates_article_id", "article_dates", ["article_id"], unique=False)
    op.create_index("ix_article_dates_value", "article_dates", ["value"], unique=False)

    op.create_table(
        "article_removed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_article_removed_article_id", "article_removed", ["article_id"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("local_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column(
            "chain",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("by", sa.Text(), nullable=True),
        sa.Column("key", sa.Text(), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_claims_article_id", "claims", ["article_id"], unique=False)
    op.create_index("ix_claims_cluster_id", "claims", ["cluster_id"], unique=False)
    op.create_index("ix_claims_key", "claims", ["key"], unique=False)
    op.create_index("ix_claims_status", "claims", ["status"], unique=False)

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_entities_article_id", "entities", ["article_id"], unique=False)
    op.create_index("ix_entities_label", "entities", ["label"], unique=False)

    op.create_table(
        "minhash_bands",
        sa.Column("band_hash", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("band_hash", "article_id"),
    )
    op.create_index("ix_minhash_bands_article_id", "minhash_bands", ["article_id"], unique=False)

    op.create_table(
        "near_duplicates",
        sa.Column("article_a", sa.Integer(), nullable=False),
        sa.Column("article_b", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["article_a"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["article_b"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_a", "article_b"),
    )
    op.create_index("ix_near_duplicates_article_b", "near_duplicates", ["article_b"], unique=False)

    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=8), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("geonameid", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("admin1", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_places_article_id", "places", ["article_id"], unique=False)
    op.create_index("ix_places_country", "places", ["country"], unique=False)
    op.create_index("ix_places_name", "places", ["name"], unique=False)

    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("local_id", sa.String(length=64), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("speaker_name", sa.Text(), nullable=True),
        sa.Column("speaker_code", sa.String(length=64), nullable=True),
        sa.Column("speaker_start", sa.Integer(), nullable=True),
        sa.Column("speaker_end", sa.Integer(), nullable=True),
        sa.Column("speaker_mention", sa.Text(), nullable=True),
        sa.Column("verb", sa.Text(), nullable=True),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("verb_class", sa.String(length=16), nullable=True),
        sa.Column(
            "via",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_quotes_article_id", "quotes", ["article_id"], unique=False)
    op.create_index("ix_quotes_speaker_name", "quotes", ["speaker_name"], unique=False)

    op.create_table(
        "claim_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_claim_evidence_claim_id", "claim_evidence", ["claim_id"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("local_id", sa.String(length=64), nullable=False),
        sa.Column("cameo", sa.String(length=8), nullable=False),
        sa.Column("base_code", sa.String(length=8), nullable=False),
        sa.Column("root_code", sa.String(length=4), nullable=False),
        sa.Column("plover", sa.String(length=32), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("source_code", sa.String(length=64), nullable=True),
        sa.Column("source_start", sa.Integer(), nullable=True),
        sa.Column("source_end", sa.Integer(), nullable=True),
        sa.Column("target_text", sa.Text(), nullable=True),
        sa.Column("target_code", sa.String(length=64), nullable=True),
        sa.Column("target_start", sa.Integer(), nullable=True),
        sa.Column("target_end", sa.Integer(), nullable=True),
        sa.Column("date", sa.String(length=16), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("place_name", sa.Text(), nullable=True),
        sa.Column("place_country", sa.String(length=8), nullable=True),
        sa.Column("place_lat", sa.Float(), nullable=True),
        sa.Column("place_lon", sa.Float(), nullable=True),
        sa.Column("place_geonameid", sa.Integer(), nullable=True),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("modality", sa.String(length=16), nullable=False),
        sa.Column("claim_local_id", sa.String(length=64), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("goldstein", sa.Float(), nullable=True),
        sa.Column("quad_class", sa.Integer(), nullable=True),
        sa.Column("trigger", sa.Text(), nullable=True),
        sa.Column("is_root_event", sa.Boolean(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_events_article_id", "events", ["article_id"], unique=False)
    op.create_index("ix_events_claim_id", "events", ["claim_id"], unique=False)
    op.create_index("ix_events_cluster_id", "events", ["cluster_id"], unique=False)
    op.create_index("ix_events_day", "events", ["day"], unique=False)
    op.create_index("ix_events_root_code", "events", ["root_code"], unique=False)
    op.create_index("ix_events_source_code", "events", ["source_code"], unique=False)
    op.create_index("ix_events_target_code", "events", ["target_code"], unique=False)

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("actor1_offset", sa.Integer(), nullable=False),
        sa.Column("actor2_offset", sa.Integer(), nullable=False),
        sa.Column("action_offset", sa.Integer(), nullable=False),
        sa.Column("in_raw_text", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Integer(), nullable=False),
        sa.Column("doc_len", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mentions_article_id", "mentions", ["article_id"], unique=False)
    op.create_index("ix_mentions_claim_id", "mentions", ["claim_id"], unique=False)
    op.create_index("ix_mentions_cluster_id", "mentions", ["cluster_id"], unique=False)
    op.create_index("ix_mentions_event_id", "mentions", ["event_id"], unique=False)
    op.create_index("ix_mentions_kind_cluster", "mentions", ["kind", "cluster_id"], unique=False)


def downgrade() -> None:
    # Dropping a table drops its indexes.
    op.drop_table("mentions")
    op.drop_table("events")
    op.drop_table("claim_evidence")
    op.drop_table("quotes")
    op.drop_table("places")
    op.drop_table("near_duplicates")
    op.drop_table("minhash_bands")
    op.drop_table("entities")
    op.drop_table("claims")
    op.drop_table("article_removed")
    op.drop_table("article_dates")
    op.drop_table("actors")
    op.drop_table("ingest_failures")
    op.drop_table("articles")
    op.drop_table("store_state")
    op.drop_table("ingest_runs")
    op.drop_table("event_clusters")
    op.drop_table("claim_clusters")
