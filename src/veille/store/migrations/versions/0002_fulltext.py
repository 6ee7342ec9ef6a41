"""Full-text search on articles: SQLite FTS5 (external content + triggers), PostgreSQL tsvector + GIN.

Revision ID: 0002_fulltext
Revises: 0001_initial
Create Date: 2026-11-26

SQLite: ``articles_fts`` indexes ``title`` and ``text`` of ``articles`` without a second copy of the
text (external content); triggers keep it in step with inserts, deletes and updates of those two
columns only (dedup and linking updates do not touch the index). PostgreSQL: a generated
``search_vector`` column, stemmed by the article's language (french, english, else simple), with a
GIN index. The first 200,000 characters are indexed: PostgreSQL refuses tsvectors over 1 MB.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002_fulltext"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = (
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
)
_SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS articles_fts_au",
    "DROP TRIGGER IF EXISTS articles_fts_ad",
    "DROP TRIGGER IF EXISTS articles_fts_ai",
    "DROP TABLE IF EXISTS articles_fts",
)

_DOC = "left(coalesce(title, '') || ' ' || text, 200000)"
_PG_UP = (
    f"""ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        CASE language
            WHEN 'fr' THEN to_tsvector('french'::regconfig, {_DOC})
            WHEN 'en' THEN to_tsvector('english'::regconfig, {_DOC})
            ELSE to_tsvector('simple'::regconfig, {_DOC})
        END) STORED""",
    "CREATE INDEX ix_articles_search_vector ON articles USING GIN (search_vector)",
)
_PG_DOWN = (
    "DROP INDEX IF EXISTS ix_articles_search_vector",
    "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector",
)


def _run(statements: tuple[str, ...]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_UP)
    elif dialect == "postgresql":
        _run(_PG_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(_SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(_PG_DOWN)
