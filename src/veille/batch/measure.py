"""Throughput of the batch job: Spark ``local[2]`` against one core, on the same articles.

    python -m veille.batch.measure --corpus ../shared/corpus/bbc_en.jsonl.gz \\
        --corpus ../shared/corpus/reuters21578_en.jsonl.gz --sizes 200,2000

For each size, the first articles of the corpora (taken in turn) are written to one JSONL file,
then analysed in each mode, each in fresh processes so that no model or cache is shared:

- ``single``: plain ``analyze_many`` in one process (models loaded before the clock starts);
- ``single[2]``: two such processes, each on half of the articles by size, started together once
  both have loaded their models: what two cores give this analysis with no Spark at all;
- ``local[1]`` and ``local[2]``: the Spark job, start to end.

Reported: articles per second of the analysis (for Spark: reading and analysing, the persisted
staging step) and of the whole job (with Spark's start, linking and writing), milliseconds per
article, the speed-ups of ``local[2]``, the peak resident memory of each Python worker (where the
spaCy models live), the peak memory of the Python processes that analyse (Spark's daemon and its
workers, or the plain processes) per core, counting pages they share once (summed PSS), and the
CPU time of each run's whole process tree (driver, JVM, Python workers) with the cores it kept
busy on average.

A mode ending in ``+pin`` runs on as many CPUs as it asks for and no more (``single+pin`` and
``local[1]+pin`` on one CPU): unpinned, ``local[1]`` still spreads the JVM's own threads (unpickling
the workers' rows, planning, garbage collection) over the second core. Prints a table, then one
JSON line with every figure.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from veille.evaluate.proctree import TreeCpu

MODES = ("single", "single[2]", "local[1]", "local[2]")
_PIN = "+pin"


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


def run_single(corpus: Path, *, barrier: bool = False) -> dict[str, Any]:
    """Plain ``analyze_many`` over ``corpus``, timed once the models are loaded.

    ``barrier``: once loaded, print ``ready`` and wait for a line on stdin before starting, so that
    several such processes start their analysis together.
    """
    from veille.annotate.nlp import get_nlp
    from veille.batch.analyse import peak_rss_mb
    from veille.ingest.corpus import read_corpus
    from veille.ingest.items import Item
    from veille.models import Failure
    from veille.pipeline import analyze_many
    from veille.settings import Settings

    if not corpus.is_file():
        raise SystemExit(f"no such corpus file: {corpus}")
    settings = Settings()
    raws = [e.raw for e in read_corpus(corpus, settings=settings) if isinstance(e, Item) and e.raw]
    for lang in settings.models:
        get_nlp(lang, models=settings.models, max_length=settings.max_text_chars + 1)
    if barrier:
        print("ready", flush=True)
        sys.stdin.readline()
    started = time.perf_counter()
    failures = sum(isinstance(r, Failure) for r in analyze_many(raws, settings=settings))
    seconds = time.perf_counter() - started
    return {
        "articles": len(raws) - failures,
        "errors": failures,
        "worker_ms_per_article": round(1000 * seconds / max(1, len(raws)), 1),
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
        # What one article costs inside a Python worker: the median over partitions, so that the
        # first partition of each worker (which also loads the models) does not count.
        "worker_ms_per_article": _median_ms(stats, "seconds"),
        # The same in CPU time: above it, the worker waited (for a core, or for Spark to take rows).
        "worker_cpu_ms_per_article": _median_ms(stats, "cpu_seconds"),
    }


def _median_ms(stats: list[dict[str, Any]], key: str) -> float | None:
    """Median over the partitions that had articles of ``key`` (seconds) per article, in ms."""
    costs = [1000 * s[key] / s["articles"] for s in stats if s["articles"]]
    return round(statistics.median(costs), 1) if costs else None


def cores_of(mode: str) -> int:
    """The CPUs a mode asks for: 1 for ``single``, N for ``local[N]`` and ``single[N]`` (``*``: all)."""
    found = re.fullmatch(r"(?:local|single)\[(\d+|\*)\]", mode.removesuffix(_PIN))
    if found is None:
        return 1
    return (os.cpu_count() or 1) if found.group(1) == "*" else int(found.group(1))


@dataclass
class _Child:
    process: subprocess.Popen[str]
    errors: IO[str]  # its stderr: a file, not a pipe, so a child waiting at the barrier never blocks


def _child(mode: str, corpus: Path, *, pin: set[int] | None, barrier: bool = False) -> _Child:
    command = [sys.executable, "-m", "veille.batch.measure", "--one", mode, "--input", str(corpus)]
    command += ["--barrier"] if barrier else []
    errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed by _figures)
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if barrier else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        # Children inherit the affinity: the JVM and the Python workers it forks stay on these CPUs.
        preexec_fn=(lambda: os.sched_setaffinity(0, pin)) if pin else None,
    )
    return _Child(process, errors)


def _figures(mode: str, child: _Child) -> dict[str, Any]:
    stdout, _ = child.process.communicate()
    child.errors.seek(0)
    detail = child.errors.read().strip()[-2000:]
    child.errors.close()
    last = stdout.strip().splitlines()[-1:] if stdout.strip() else []
    if child.process.returncode != 0 or not last:
        raise RuntimeError(f"{mode} failed: {detail}")
    return dict(json.loads(last[0]))


def _one(mode: str, corpus: Path) -> dict[str, Any]:
    """Run one mode in fresh interpreters (pinned to its CPUs for ``+pin``) and return its figures."""
    base = mode.removesuffix(_PIN)
    pin = set(range(cores_of(mode))) if mode.endswith(_PIN) else None
    started = time.perf_counter()
    if base.startswith("single["):
        figures, cpu = _several_single(cores_of(base), corpus, pin=pin)
    else:
        child = _child(base, corpus, pin=pin)
        tree = TreeCpu(child.process.pid, root_memory=base == "single")
        figures = _figures(mode, child)
        cpu = tree.stop()
        figures["pss_mb_per_core"] = round(tree.peak_python_pss_mb / cores_of(base))
    wall = time.perf_counter() - started
    figures["cpu_s"] = round(cpu, 1)  # model loading and Spark's start included
    figures["busy_cores"] = round(cpu / wall, 2) if wall else 0.0
    return figures


def balanced(lines: list[bytes], n: int) -> list[list[bytes]]:
    """``lines`` in ``n`` parts of about the same size in bytes (longest first, each to the part with
    the fewest bytes so far), each keeping the original order. Taking every n-th line instead would
    give one part every long OCR page when the corpora alternate."""
    sizes = [0] * n
    owner = [0] * len(lines)
    for i in sorted(range(len(lines)), key=lambda i: -len(lines[i])):
        part = min(range(n), key=sizes.__getitem__)
        owner[i] = part
        sizes[part] += len(lines[i])
    return [[line for line, o in zip(lines, owner, strict=True) if o == part] for part in range(n)]


def _several_single(n: int, corpus: Path, *, pin: set[int] | None) -> tuple[dict[str, Any], float]:
    """``single[n]``: ``n`` plain processes, each on a share of the articles of about the same size,
    started together once all have loaded their models: what ``n`` cores give the analysis with no
    Spark at all (without Spark's dynamic spreading of partitions over the cores)."""
    parts = [corpus.with_name(f"{corpus.stem}.part{i}{corpus.suffix}") for i in range(n)]
    for part, lines in zip(parts, balanced(corpus.read_bytes().splitlines(keepends=True), n), strict=True):
        part.write_bytes(b"".join(lines))
    children = [_child("single", part, pin=pin, barrier=True) for part in parts]
    trees = [TreeCpu(child.process.pid) for child in children]
    for child in children:  # each says "ready" once its models are loaded
        assert child.process.stdout is not None
        child.process.stdout.readline()
    for child in children:
        assert child.process.stdin is not None
        child.process.stdin.write("go\n")
        child.process.stdin.flush()
    runs = [_figures("single", child) for child in children]
    for part in parts:
        part.unlink()
    done = sum(r["articles"] + r["errors"] for r in runs)
    figures = {
        "articles": sum(r["articles"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "analysis_s": max(r["analysis_s"] for r in runs),  # done when the slowest is
        "analysis_s_each": [round(r["analysis_s"], 1) for r in runs],
        "total_s": max(r["total_s"] for r in runs),
        "workers": n,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        # Each process's time on its own share: the cost of one article while both run.
        "worker_ms_per_article": round(1000 * sum(r["analysis_s"] for r in runs) / max(1, done), 1),
    }
    cpu = sum(tree.stop() for tree in trees)
    figures["pss_mb_per_core"] = round(sum(tree.peak_python_pss_mb for tree in trees) / n)
    return figures, cpu


def _with_rates(figures: dict[str, Any]) -> dict[str, Any]:
    done = max(1, figures["articles"] + figures["errors"])
    figures["analysis_articles_s"] = round(done / figures["analysis_s"], 3)
    figures["total_articles_s"] = round(done / figures["total_s"], 3)
    figures["ms_per_article"] = round(1000 * figures["total_s"] / done, 1)
    return figures


def _pooled(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Each mode's rates over all rounds: articles over summed seconds."""
    pooled: dict[str, dict[str, Any]] = {}
    for mode in rounds[0]:
        runs = [r[mode] for r in rounds]
        done = sum(max(1, f["articles"] + f["errors"]) for f in runs)
        pooled[mode] = {
            f"{figure}_articles_s": round(done / sum(f[f"{figure}_s"] for f in runs), 3)
            for figure in ("analysis", "total")
        }
    return pooled


def measure(
    corpora: list[Path], sizes: list[int], modes: tuple[str, ...] = MODES, *, repeat: int = 1
) -> dict[str, Any]:
    """Every mode on samples of each size; ``repeat`` rounds, every other one in reverse order.

    In rounds A B, B A, … a drift of the machine's speed over the rounds weighs on every mode
    alike; ``pooled`` gives the speed-ups over the summed times of all rounds.
    """
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="veille-measure-") as folder:
        for n in sizes:
            corpus = Path(folder) / f"sample_{n}.jsonl"
            taken = sample(corpora, n, corpus)
            rounds: list[dict[str, Any]] = []
            for r in range(repeat):
                ordered = modes if r % 2 == 0 else modes[::-1]
                runs = {mode: _with_rates(_one(mode, corpus)) for mode in ordered}
                rounds.append({"runs": runs, **_speedups(runs)})
            result: dict[str, Any] = {"articles": taken, **rounds[0]}
            if repeat > 1:
                result |= {"rounds": rounds, "pooled": _speedups(_pooled([r["runs"] for r in rounds]))}
            results[str(n)] = result
    return results


def _speedups(runs: dict[str, dict[str, Any]]) -> dict[str, float]:
    """``local[2]`` against each one-core run and against ``single[2]`` (two plain processes, the
    most two cores give this analysis here); ``single[2]`` against ``single`` (that ceiling)."""
    out: dict[str, float] = {}
    bases = ("single", "local[1]", "single[2]")
    pairs = [("local[2]", base + pin) for pin in ("", _PIN) for base in bases]
    pairs += [("single[2]", "single"), ("single[2]" + _PIN, "single" + _PIN)]
    for faster, base in pairs:
        if faster not in runs or base not in runs:
            continue
        # local[2]'s keys keep their first names: "analysis_speedup_vs_local[1]".
        prefix = "" if faster == "local[2]" else f"{faster}_"
        for figure in ("analysis", "total"):
            key = f"{prefix}{figure}_speedup_vs_{base}"
            out[key] = round(runs[faster][f"{figure}_articles_s"] / runs[base][f"{figure}_articles_s"], 3)
    return out


def render(results: dict[str, Any]) -> str:
    header = (
        "n",
        "mode",
        "analysis art/s",
        "job art/s",
        "ms/article",
        "worker ms/art",
        "worker cpu ms",
        "worker RSS MB",
        "PSS MB/core",
        "busy cores",
    )
    rows = ["{:>6} {:13} {:>15} {:>10} {:>11} {:>14} {:>14} {:>13} {:>11} {:>11}".format(*header)]
    for n, result in results.items():
        rounds = result.get("rounds", [result])
        for k, one in enumerate(rounds, 1):
            for mode, f in one["runs"].items():
                label = f"{mode} #{k}" if len(rounds) > 1 else mode
                rows.append(
                    f"{n:>6} {label:13} {f['analysis_articles_s']:>15.2f} {f['total_articles_s']:>10.2f} "
                    f"{f['ms_per_article']:>11.1f} {f.get('worker_ms_per_article') or 0:>14.1f} "
                    f"{f.get('worker_cpu_ms_per_article') or 0:>14.1f} {f['peak_rss_mb']:>13.0f} "
                    f"{f.get('pss_mb_per_core', 0):>11.0f} {f.get('busy_cores', 0):>11.2f}"
                )
            speed = ", ".join(f"{k} {v:.2f}x" for k, v in one.items() if "speedup" in k)
            rows.append(f"{'':>6} speed-ups: {speed}")
        if "pooled" in result:
            pooled = ", ".join(f"{k} {v:.2f}x" for k, v in result["pooled"].items())
            rows.append(f"{'':>6} pooled over {len(rounds)} rounds: {pooled}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", action="append", type=Path, help="corpus .jsonl(.gz) (repeatable)")
    parser.add_argument("--sizes", default="200,2000", help="comma-separated article counts")
    parser.add_argument(
        "--modes",
        default=",".join(MODES),
        help="single, single[2] (two plain processes), local[1], local[2]; +pin: on those CPUs only",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of every mode, every other one in reverse order"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one mode, print its JSON
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--barrier", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        if args.one == "single":
            figures = run_single(args.input, barrier=args.barrier)
        else:
            figures = run_spark(args.input, args.one)
        print(json.dumps(figures))
        return
    if not args.corpus:
        parser.error("give at least one --corpus")
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    results = measure(args.corpus, sizes, modes, repeat=max(1, args.repeat))
    print(render(results))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
