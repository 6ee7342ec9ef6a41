"""Golden tier: the whole JSON output for the showcase pages and our own fixtures, compared exactly.

A change in any analysis shows here as a diff. When the change is deliberate, rewrite the expected
files with ``pytest tests/golden --update-golden`` and review ``git diff tests/golden`` before committing.
A fixture may carry its publication date in a sidecar ``<name>.published`` file (YYYY-MM-DD).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from veille.demo import showcase_pages
from veille.pipeline import AnalyzeOptions, analyze

HERE = Path(__file__).parent
EXPECTED = HERE / "expected"
FIXTURES = HERE.parent / "fixtures" / "golden"


def cases() -> list[Path]:
    own = sorted(p for p in FIXTURES.iterdir() if p.suffix in {".txt", ".html"})
    return [*showcase_pages(), *own]


def published_for(page: Path) -> dt.date | None:
    sidecar = page.with_suffix(".published")
    return dt.date.fromisoformat(sidecar.read_text().strip()) if sidecar.exists() else None


@pytest.mark.parametrize("page", cases(), ids=lambda p: p.name)
def test_golden(page: Path, request: pytest.FixtureRequest) -> None:
    result = analyze(str(page), options=AnalyzeOptions(published=published_for(page)))
    got = result.to_json_dict()
    got["veille_version"] = "*"  # the version changes on every release, the analysis must not
    expected_file = EXPECTED / f"{page.stem}.json"
    if request.config.getoption("--update-golden") or not expected_file.exists():
        expected_file.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not request.config.getoption("--update-golden"):
            pytest.fail(f"{expected_file.name} was missing and has been written: review and commit it")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert got == expected
