"""``Settings.n_process``: worker processes give the very records one process gives, in source order."""

from __future__ import annotations

from pathlib import Path

import pytest

import veille.pipeline as pipeline
from veille.models import Analysis, Failure
from veille.pipeline import analyze_many
from veille.settings import Settings

# Our own short articles (French and English mixed, so that batches hold both languages).
TEXTS = [
    "Le ministre des Affaires étrangères a rencontré mardi son homologue allemand à Berlin.\n",
    "The foreign minister met his German counterpart in Berlin on Tuesday, officials said.\n",
    "« Nous ne céderons pas », a déclaré lundi le porte-parole du gouvernement à Paris.\n",
    "Protesters gathered in Nairobi on Friday after the vote, police said.\n",
    "La Commission européenne a annoncé jeudi une aide de 20 millions d'euros au Niger.\n",
]


@pytest.fixture()
def sources(tmp_path: Path) -> list[str]:
    out = []
    for i, text in enumerate(TEXTS):
        path = tmp_path / f"article_{i}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(str(path))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    # A failure in the middle of the stream must come back in its place.
    return [*out[:2], str(empty), *out[2:], "/nonexistent/article.txt"]


def _dump(results: list[Analysis | Failure]) -> list[dict[str, object]]:
    return [r.model_dump(mode="json") for r in results]


def test_two_processes_give_the_records_of_one(sources: list[str]) -> None:
    # batch_size=1: the 7 sources go to the workers in two read batches (of 4 and 3).
    one = list(analyze_many(sources, settings=Settings(batch_size=1)))
    two = list(analyze_many(sources, settings=Settings(batch_size=1, n_process=2)))
    assert [type(r) for r in one] == [Analysis, Analysis, Failure, Analysis, Analysis, Analysis, Failure]
    assert _dump(two) == _dump(one)


@pytest.mark.slow
def test_spawned_workers_register_the_components_themselves(
    sources: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Spawned workers inherit nothing: they import veille, register its factories and load models.
    monkeypatch.setattr(pipeline, "_start_method", lambda: "spawn")
    one = list(analyze_many(sources[:3], settings=Settings(batch_size=1)))
    two = list(analyze_many(sources[:3], settings=Settings(batch_size=1, n_process=2)))
    assert _dump(two) == _dump(one)


def test_a_stream_is_consumed_lazily(sources: list[str]) -> None:
    # Stopping early must not hang on the workers still busy.
    stream = analyze_many(iter(sources * 3), settings=Settings(batch_size=1, n_process=2))
    first = next(stream)
    stream.close()
    assert isinstance(first, Analysis)
