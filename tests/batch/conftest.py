"""Spark fixtures: one local[2] session per test session, on the loopback interface, in a temp dir.

Tests that need Spark skip with the reason when pyspark or Java is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from veille.batch.session import missing_requirement


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    problem = missing_requirement()
    if problem:
        pytest.skip(f"Spark tests need pyspark and Java 17+: {problem}")
    from veille.batch.session import start_session

    scratch = tmp_path_factory.mktemp("spark-scratch")
    # Few shuffle partitions: the test data is tiny and every task costs time.
    session = start_session("local[2]", scratch=str(scratch), conf={"spark.sql.shuffle.partitions": "2"})
    yield session
    session.stop()
