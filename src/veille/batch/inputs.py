"""Inputs of the batch job: which files, how they are read on the executors, how they are spread.

Each input file is read by one task with veille's own readers (``read_corpus`` for corpus JSON
lines, ``read_warc`` for WARC), so the size caps, gzip-bomb guard and record keys are those of
``veille ingest``. Every entry gets a deterministic id from its file and its rank in the file; the
records are then spread over partitions sized from the input volume, so that the analysis (the
costly part) is balanced whatever the file sizes were. Input paths must be readable at the same
path from every executor (a shared file system on a cluster).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from veille.errors import InputError
from veille.ingest.corpus import read_corpus
from veille.ingest.items import Entry, Skipped, is_gzip
from veille.ingest.warc import read_warc
from veille.settings import Settings

InputKind = Literal["corpus", "warc"]

_SUFFIXES: dict[str, InputKind] = {
    ".jsonl": "corpus",
    ".jsonl.gz": "corpus",
    ".warc": "warc",
    ".warc.gz": "warc",
}
# Ids: article_id = file index << SEQ_BITS | rank in the file (from 1); records of an article (events,
# claims) are article_id << ROW_BITS | position. Both fit a signed 64-bit integer.
SEQ_BITS = 28
ROW_BITS = 12
MAX_ROWS = 1 << ROW_BITS
_FILE_LIMIT = 1 << (63 - SEQ_BITS - ROW_BITS)
_LAST_RANK = (1 << SEQ_BITS) - 1
# Clean characters per byte of input, to size partitions before reading: a gzip'd corpus holds
# about 3 characters of text per byte, a WARC mostly markup.
_CHARS_PER_BYTE = {("corpus", False): 1.0, ("corpus", True): 3.0, ("warc", False): 0.25, ("warc", True): 1.0}


@dataclass(frozen=True)
class InputFile:
    index: int
    path: str
    kind: InputKind
    size: int
    gzipped: bool

    @property
    def estimated_chars(self) -> int:
        return int(self.size * _CHARS_PER_BYTE[(self.kind, self.gzipped)])


def input_kind(path: Path) -> InputKind | None:
    name = path.name.lower()
    for suffix, kind in _SUFFIXES.items():
        if name.endswith(suffix):
            return kind
    return None


def discover(inputs: list[str]) -> list[InputFile]:
    """The input files, in a stable order: files as given, folders searched recursively."""
    found: list[tuple[Path, InputKind]] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                kind = input_kind(child)
                if kind is not None:
                    found.append((child, kind))
        elif path.is_file():
            kind = input_kind(path)
            if kind is None:
                raise InputError("not a corpus .jsonl(.gz) or a .warc(.gz) file", source=name)
            found.append((path, kind))
        else:
            raise InputError("no such file or folder", source=name)
    if not found:
        raise InputError("no .jsonl(.gz) or .warc(.gz) file found", source=", ".join(inputs))
    if len(found) >= _FILE_LIMIT:
        raise InputError(f"more than {_FILE_LIMIT - 1} input files; run several jobs")
    return [
        InputFile(i, str(path.resolve()), kind, path.stat().st_size, is_gzip(path))
        for i, (path, kind) in enumerate(found)
    ]


def partition_count(files: list[InputFile], *, parallelism: int, target_chars: int) -> int:
    """Enough even partitions for ``target_chars`` of text each, and at least eight per core.

    Articles differ a lot in cost, so several partitions per core keep the cores busy until the
    end (a core that finishes early takes the next partition); a partition costs almost nothing
    more since the Python workers, and their models, are reused. :func:`layout` then adds smaller
    partitions after these. The later stages merge them back to one per core (see
    :func:`veille.batch.tables.write_tables`).
    """
    total = sum(f.estimated_chars for f in files)
    return max(8 * parallelism, math.ceil(total / max(1, target_chars)))


@dataclass(frozen=True)
class Layout:
    """How articles are dealt to the analysis partitions: each partition takes a share of the
    hash space of article ids (``bounds``: cumulative upper bounds, the last is 1.0)."""

    bounds: tuple[float, ...]

    @property
    def partitions(self) -> int:
        return len(self.bounds)

    def slot(self, article_id: int) -> int:
        """The partition of an article: where its hash falls among the shares."""
        u = spread(article_id) / (1 << 32)
        return min(len(self.bounds) - 1, bisect.bisect_right(self.bounds, u))


def layout(even: int, *, cores: int, tail_levels: int = 4) -> Layout:
    """``even`` partitions of equal share, then ``tail_levels`` rounds of one partition per core,
    each round half the share of the one before (1/2, 1/4, 1/8, 1/16 of an even partition).

    Spark starts the analysis tasks in partition order. With equal partitions only, the last one
    often runs alone while the other cores idle: on 2,000 articles and 2 cores, the last of 16
    partitions took 16 s alone after the other core had finished. Ending with ever smaller
    partitions (guided self-scheduling) lets the cores finish together; the tail holds about one
    even partition per core, so the number of tasks grows by ``cores * tail_levels`` only.
    ``tail_levels=0`` gives equal shares (what an explicit ``--partitions`` asks for).
    """
    shares = [1.0] * max(1, even)
    shares += [0.5**level for level in range(1, tail_levels + 1) for _ in range(max(1, cores))]
    total = sum(shares)
    bounds: list[float] = []
    running = 0.0
    for share in shares:
        running += share
        bounds.append(running / total)
    bounds[-1] = 1.0
    return Layout(tuple(bounds))


def spread(article_id: int) -> int:
    """A 32-bit multiplicative hash of an article id, so that consecutive records land apart."""
    return ((article_id * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> 32


def read_file(task: InputFile, *, settings: Settings) -> Iterator[tuple[int, Entry]]:
    """(article id, entry) for every entry of one file; runs on an executor."""
    path = Path(task.path)
    reader = read_corpus if task.kind == "corpus" else read_warc
    base = task.index << SEQ_BITS
    # Ranks start at 1: no id is 0 (GDELT readers take a zero GLOBALEVENTID for a missing one).
    for rank, entry in enumerate(reader(path, settings=settings), start=1):
        if rank == _LAST_RANK:  # the last id of the file says why the rest is not read
            yield base | rank, Skipped(task.path, f"more than {_LAST_RANK} records; rest of the file skipped")
            return
        yield base | rank, entry
