"""Reading the knowledge files shipped under ``veille/data/`` (loaded once, cached)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from veille.errors import ModelError


def data_path(relative: str) -> Path:
    """Filesystem path of a packaged data file (the package is installed unzipped)."""
    path = Path(str(resources.files("veille") / "data" / relative))
    if not path.exists():
        raise ModelError(f"veille data file {relative!r} is missing from the installation")
    return path


# libyaml's parser when PyYAML was built with it: the knowledge files take 0.5 s to parse in pure
# Python and 0.1 s in C, paid by every process that analyses (each Spark worker, each CLI run).
# Both give the same values for the shipped files (tests/unit/data/test_resources.py checks each).
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(relative: str) -> Any:
    with data_path(relative).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=YAML_LOADER)


def iter_tsv(relative: str) -> Iterator[dict[str, str]]:
    """Rows of a TSV file with a header row; lines starting with ``#`` are comments."""
    with data_path(relative).open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


@cache
def load_tsv(relative: str) -> tuple[dict[str, str], ...]:
    return tuple(iter_tsv(relative))


def iter_jsonl(relative: str) -> Iterator[dict[str, Any]]:
    with data_path(relative).open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                yield json.loads(line)
