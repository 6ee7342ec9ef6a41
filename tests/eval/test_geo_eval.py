"""Geoparsing floors on the visible English gold (../shared/eval/geo): recognition and geocoding.

The floors are what veille reached when they were pinned, rounded down a little; the issue's
targets (country ≥ 0.90, acc@161 km ≥ 0.75, toponym F1 ≥ 0.70) are asserted on the combined set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from veille.evaluate.geo import Tally, metrics_of, score_file

pytestmark = pytest.mark.eval

GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "geo"
FILES = ("lgl_dev", "trnews_dev", "geovirus_dev", "gwn_dev")
# file → (toponym_f1, country_accuracy, acc_161km); GeoVirus has no gold countries.
FLOORS: dict[str, tuple[float, float | None, float]] = {
    "lgl_dev": (0.75, 0.90, 0.75),
    "trnews_dev": (0.86, 0.91, 0.85),
    "geovirus_dev": (0.87, None, 0.76),
    "gwn_dev": (0.76, 0.96, 0.85),
    "combined": (0.79, 0.91, 0.78),
}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    if not GOLD.is_dir():
        pytest.skip(f"geo gold not found at {GOLD} (clone the project beside ../shared)")
    out: dict[str, dict[str, Any]] = {}
    combined = Tally()
    for name in FILES:
        tally = score_file(GOLD / f"{name}.jsonl")
        combined.add(tally)
        out[name] = metrics_of(tally)
    out["combined"] = metrics_of(combined)
    return out


@pytest.mark.parametrize("name", [*FILES, "combined"])
def test_geo_floors(results: dict[str, dict[str, Any]], name: str) -> None:
    f1, country, acc = FLOORS[name]
    metrics = results[name]
    assert metrics["toponym_f1"] >= f1, metrics
    if country is not None:
        assert metrics["country_accuracy"] >= country, metrics
    assert metrics["acc_161km"] >= acc, metrics


def test_issue_targets_on_combined(results: dict[str, dict[str, Any]]) -> None:
    combined = results["combined"]
    assert combined["country_accuracy"] >= 0.90
    assert combined["acc_161km"] >= 0.75
    assert combined["toponym_f1"] >= 0.70
