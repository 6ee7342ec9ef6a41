"""Throughput of the batch job: Spark ``local[2]`` against one core, on the same articles.

    python -m veille.batch.measure --corpus ../shared/corpus/bbc_en.jsonl.gz \\
        --corpus ../shared/corpus/reuters21578_en.jsonl.gz --sizes 200,2000

For each size, the first articles of the corpora (taken in turn) are written to one JSONL file,
then analysed three ways, each in its own process so that no model or cache is shared: plain
``analyze_many`` in one process (models loaded before the clock starts), the Spark job on
``local[1]`` and on ``local[2]``. Reported: articles per second of the analysis (reading and
analysing, the persisted staging step) and of the whole job (with Spark start, linking and
writing), milliseconds per article, the speed-up of ``local[2]``, and the peak resident memory
of each Python worker (one per core, where the spaCy models live). Prints a table, then one JSON
line with every figure.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MODES = ("single", "local[1]", "local[2]")


def _lines(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip(b"\n")


def sample(corpora: list[Path], n: int, target: Path) -> int:
    """Write the first ``n`` records of the corpora, taken in turn, to ``target``; return how many."""
    streams = [_lines(p) for p in corpora]
    taken = 0
    with target.open("wb") as out:
        for line in itertools.chain.from_iterable(itertools.zip_longest(*streams)):
            if line is None:
                continue
            out.write(line + b"\n")
            taken += 1
            if taken >= n:
                break
    return taken


def run_single(corpus: Path) -> dict[str, Any]:
    from veille.annotate.nlp import get_nlp
    from veille.batch.analyse import peak_rss_mb
    from veille.ingest.corpus import read_corpus
    from veille.ingest.items import Item
    from veille.models import Failure
    from veille.pipeline import analyze_many
    from veille.settings import Settings

    settings = Settings()
    raws = [e.raw for e in read_corpus(corpus, settings=settings) if isinstance(e, Item) and e.raw]
    for lang in settings.models:
        get_nlp(lang, models=settings.models, max_length=settings.max_text_chars + 1)
    started = time.perf_counter()
    failures = sum(isinstance(r, Failure) for r in analyze_many(raws, settings=settings))
    seconds = time.perf_counter() - started
    return {
        "articles": len(raws) - failures,
        "errors": failures,
        "analysis_s": seconds,
        "total_s": seconds,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_spark(corpus: Path, master: str) -> dict[str, Any]:
    from veille.batch.options import JobOptions
    from veille.batch.runner import run_batch

    with tempfile.TemporaryDirectory(prefix="veille-measure-") as out:
        started = time.perf_counter()
        summary = run_batch([str(corpus)], f"{out}/out", master=master, job=JobOptions())
        total = time.perf_counter() - started  # with Spark's start and stop
    stats = summary.partition_stats
    return {
        "articles": summary.counts.get("articles", 0),
        "errors": summary.counts.get("errors", 0),
        "analysis_s": summary.analysis_s,
        "total_s": total,
        "partitions": summary.partitions,
        "workers": len({s["pid"] for s in stats}),
        "peak_rss_mb": max((s["peak_rss_mb"] for s in stats), default=0.0),
    }


def _one(mode: str, corpus: Path) -> dict[str, Any]:
    """Run one mode in a fresh interpreter and return its figures."""
    command = [sys.executable, "-m", "veille.batch.measure", "--one", mode, "--input", str(corpus)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    last = done.stdout.strip().splitlines()[-1:] if done.stdout.strip() else []
    if done.returncode != 0 or not last:
        raise RuntimeError(f"{mode} failed: {done.stderr.strip()[-2000:]}")
    return dict(json.loads(last[0]))


def measure(corpora: list[Path], sizes: list[int], modes: tuple[str, ...] = MODES) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="veille-measure-") as folder:
        for n in sizes:
            corpus = Path(folder) / f"sample_{n}.jsonl"
            taken = sample(corpora, n, corpus)
            runs = {mode: _one(mode, corpus) for mode in modes}
            for figures in runs.values():
                done = max(1, figures["articles"] + figures["errors"])
                figures["analysis_articles_s"] = round(done / figures["analysis_s"], 3)
                figures["total_articles_s"] = round(done / figures["total_s"], 3)
                figures["ms_per_article"] = round(1000 * figures["total_s"] / done, 1)
            results[str(n)] = {"articles": taken, "runs": runs, **_speedups(runs)}
    return results


def _speedups(runs: dict[str, dict[str, Any]]) -> dict[str, float]:
    out: dict[str, float] = {}
    two = runs.get("local[2]")
    if two is None:
        return out
    for base in ("single", "local[1]"):
        if base in runs:
            out[f"analysis_speedup_vs_{base}"] = round(
                two["analysis_articles_s"] / runs[base]["analysis_articles_s"], 3
            )
            out[f"total_speedup_vs_{base}"] = round(
                two["total_articles_s"] / runs[base]["total_articles_s"], 3
            )
    return out


def render(results: dict[str, Any]) -> str:
    header = ("n", "mode", "analysis art/s", "job art/s", "ms/article", "peak MB/core")
    rows = ["{:>6} {:9} {:>15} {:>10} {:>11} {:>13}".format(*header)]
    for n, result in results.items():
        for mode, f in result["runs"].items():
            rows.append(
                f"{n:>6} {mode:9} {f['analysis_articles_s']:>15.2f} {f['total_articles_s']:>10.2f} "
                f"{f['ms_per_article']:>11.1f} {f['peak_rss_mb']:>13.0f}"
            )
        speed = ", ".join(f"{k} {v:.2f}x" for k, v in result.items() if "speedup" in k)
        rows.append(f"{'':>6} local[2] speed-up: {speed}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", action="append", type=Path, help="corpus .jsonl(.gz) (repeatable)")
    parser.add_argument("--sizes", default="200,2000", help="comma-separated article counts")
    parser.add_argument("--modes", default=",".join(MODES), help="single, local[1], local[2]")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one mode, print its JSON
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        figures = run_single(args.input) if args.one == "single" else run_spark(args.input, args.one)
        print(json.dumps(figures))
        return
    if not args.corpus:
        parser.error("give at least one --corpus")
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    results = measure(args.corpus, sizes, modes)
    print(render(results))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
