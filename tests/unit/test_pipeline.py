"""The pipeline entry points: order, failures in the stream, options."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from veille.errors import InputError
from veille.models import Analysis, Failure
from veille.pipeline import AnalyzeOptions, analyze, analyze_many
from veille.settings import Settings

FR = "Le ministre des Affaires étrangères a rencontré mardi son homologue allemand à Berlin.\n"
EN = "The foreign minister met his German counterpart in Berlin on Tuesday, officials said.\n"


@pytest.fixture()
def pages(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in {"fr.txt": FR, "en.txt": EN, "empty.txt": "   \n"}.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        out[name] = path
    return out


def test_results_keep_source_order_and_report_failures(pages: dict[str, Path]) -> None:
    sources = [str(pages["fr.txt"]), str(pages["empty.txt"]), str(pages["en.txt"]), "/nonexistent/x.txt"]
    results = list(analyze_many(sources, settings=Settings(batch_size=2)))
    assert [type(r) for r in results] == [Analysis, Failure, Analysis, Failure]
    first, _, third, _ = results
    assert isinstance(first, Analysis) and first.article.language == "fr"
    assert isinstance(third, Analysis) and third.article.language == "en"
    assert isinstance(results[1], Failure) and results[1].source == str(pages["empty.txt"])


def test_user_published_date_and_forced_language(pages: dict[str, Path]) -> None:
    result = analyze(str(pages["fr.txt"]), options=AnalyzeOptions(published=dt.date(2021, 3, 2), lang="fr"))
    assert result.article.published.date == "2021-03-02"
    assert result.article.published.source == "user"


def test_analyze_raises_the_input_error(pages: dict[str, Path]) -> None:
    with pytest.raises(InputError):
        analyze(str(pages["empty.txt"]))


def test_json_form_has_every_contract_key(pages: dict[str, Path]) -> None:
    data = analyze(str(pages["en.txt"])).to_json_dict()
    assert set(data) >= {
        "veille_version",
        "article",
        "dates",
        "entities",
        "actors",
        "places",
        "events",
        "quotes",
        "claims",
    }
    assert set(data["article"]) >= {"id", "url", "title", "language", "published", "text", "removed"}
    assert set(data["article"]["published"]) >= {"date", "source", "evidence"}
