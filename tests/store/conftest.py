"""Store tests run on every back-end: SQLite always, PostgreSQL when VEILLE_TEST_POSTGRES_URL is set.

Start a local PostgreSQL with ``eval "$(bash .ci/postgres.sh)"`` to run the PostgreSQL half.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from veille.store import Store
from veille.store.engine import normalize_url

POSTGRES_ENV = "VEILLE_TEST_POSTGRES_URL"


def _reset_postgres(url: str) -> None:
    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f'PostgreSQL tests need {POSTGRES_ENV} (run: eval "$(bash .ci/postgres.sh)")')
    _reset_postgres(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened
