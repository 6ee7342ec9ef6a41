"""Choices and results of one batch job (importable without pyspark, for the command line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.errors import InputError

# Characters of text per analysis partition: a few minutes of work for one core.
DEFAULT_TARGET_CHARS = 1_000_000


@dataclass(frozen=True, kw_only=True)
class JobOptions:
    partitions: int | None = None  # None: from the input size (see ``target_chars``)
    target_chars: int = DEFAULT_TARGET_CHARS
    overwrite: bool = False
    gdelt: bool = True  # write the GDELT TSV files


@dataclass(kw_only=True)
class JobSummary:
    output: str
    inputs: int
    partitions: int
    counts: dict[str, int] = field(default_factory=dict)
    analysis_s: float = 0.0  # reading and analysing (the persisted staging rows)
    total_s: float = 0.0
    partition_stats: list[dict[str, Any]] = field(default_factory=list)

    def line(self) -> str:
        c = self.counts
        return (
            f"{c.get('articles', 0)} articles, {c.get('errors', 0)} errors, {c.get('events', 0)} events, "
            f"{c.get('quotes', 0)} quotes, {c.get('claims', 0)} claims, "
            f"{c.get('near_duplicates', 0)} near-duplicate pairs in {self.total_s:.1f} s → {self.output}"
        )


def check_output(output: str, *, overwrite: bool) -> None:
    """Refuse a file, or a non-empty folder unless ``overwrite`` (local paths only)."""
    if "://" in output and not output.startswith("file://"):
        return  # a cluster file system (hdfs://, s3a://…): Spark's writer reports problems there
    path = Path(output.removeprefix("file://"))
    if path.exists() and not path.is_dir():
        raise InputError("output must be a folder, and this is a file", source=output)
    if path.is_dir() and any(path.iterdir()) and not overwrite:
        raise InputError("output folder is not empty (use --overwrite to replace it)", source=output)
