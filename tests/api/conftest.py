"""Fixtures of the API tests: a fast store of hand-made articles, and the demo store (built once)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # Starlette warns that its TestClient will move from httpx to httpx2; it works as it is.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from sample_store import TOKEN, build_sample_store, demo_store, seed_article_id

from veille.api.app import create_app


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, int]]:
    folder: Path = tmp_path_factory.mktemp("sample-store")
    url = f"sqlite:///{folder / 'sample.sqlite'}"
    return url, build_sample_store(url)


@pytest.fixture(scope="session")
def client(sample: tuple[str, dict[str, int]]) -> Iterator[TestClient]:
    with TestClient(create_app(db_url=sample[0], api_token=TOKEN)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def ids(sample: tuple[str, dict[str, int]]) -> dict[str, int]:
    return sample[1]


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, int]]:
    return demo_store(tmp_path_factory)


@pytest.fixture(scope="session")
def demo_client(demo: tuple[str, dict[str, int]]) -> Iterator[TestClient]:
    with TestClient(create_app(db_url=demo[0], read_only=True)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def seed_id(demo: tuple[str, dict[str, int]]) -> int:
    return seed_article_id(demo[0])
