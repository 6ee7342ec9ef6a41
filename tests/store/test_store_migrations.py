"""Named migrations go up and down on every back-end, and match the SQLAlchemy models."""

from __future__ import annotations

import itertools

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from veille.store import Store
from veille.store.engine import (
    alembic_config,
    create_engines,
    current_revision,
    downgrade,
    include_object,
    migrate,
)
from veille.store.schema import Base

HEAD = "0006_overview_indexes"


def test_revisions_are_named_and_chained() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    revisions = list(reversed(list(script.walk_revisions())))
    names = [r.revision for r in revisions]
    assert names == [
        "0001_initial",
        "0002_fulltext",
        "0003_watch",
        "0004_read_indexes",
        "0005_claim_echoes",
        "0006_overview_indexes",
    ]
    assert revisions[0].down_revision is None
    for previous, revision in itertools.pairwise(revisions):
        assert revision.down_revision == previous.revision


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    engines = create_engines(db_url)
    try:
        migrate(engines)
        assert current_revision(engines.read) == HEAD
        tables = set(inspect(engines.read).get_table_names())
        assert {"articles", "events", "claims", "claim_evidence", "mentions", "ingest_runs"} <= tables
        assert {"watch_sources", "watch_items", "alerts", "alert_deliveries"} <= tables
        downgrade(engines, revision="0002_fulltext")
        assert not {"watch_sources", "alerts"} & set(inspect(engines.read).get_table_names())
        downgrade(engines, revision="0001_initial")
        assert current_revision(engines.read) == "0001_initial"
        assert "articles_fts" not in set(inspect(engines.read).get_table_names())
        downgrade(engines, revision="base")
        assert current_revision(engines.read) is None
        assert set(inspect(engines.read).get_table_names()) <= {"alembic_version"}
        migrate(engines)
        assert current_revision(engines.read) == HEAD
    finally:
        engines.dispose()


def test_migrated_schema_matches_models(db_url: str) -> None:
    engines = create_engines(db_url)
    try:
        migrate(engines)
        with engines.read.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": include_object, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engines.dispose()


def test_sqlite_uses_wal(tmp_path: object) -> None:
    with Store.open(f"sqlite:///{tmp_path}/wal.sqlite") as store, store.read() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_open_is_idempotent(db_url: str) -> None:
    Store.open(db_url).close()
    with Store.open(db_url) as store, store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 0
