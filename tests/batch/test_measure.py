"""The Spark measure's own parts (no Spark): modes, sampling, CPU of a process tree, the table."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from veille.batch.measure import (
    _child,
    _figures,
    _one,
    _pooled,
    _speedups,
    _with_rates,
    balanced,
    cores_of,
    render,
    sample,
)
from veille.demo import sample_corpus
from veille.evaluate.proctree import TreeCpu, is_python, pss_mb


def test_cores_of_modes() -> None:
    assert cores_of("single") == cores_of("single+pin") == 1
    assert cores_of("local[1]+pin") == 1 and cores_of("local[2]") == 2
    assert cores_of("local[*]+pin") == (os.cpu_count() or 1)


def test_sample_takes_the_corpora_in_turn(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl"
    with gzip.open(first, "wt") as handle:
        handle.write("\n".join(json.dumps({"id": f"a{i}"}) for i in range(3)) + "\n")
    second.write_text(json.dumps({"id": "b0"}) + "\n\n")
    target = tmp_path / "sample.jsonl"
    assert sample([first, second], 3, target) == 3
    assert [json.loads(line)["id"] for line in target.read_text().splitlines()] == ["a0", "b0", "a1"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux /proc")
def test_tree_cpu_counts_grandchildren() -> None:
    # A child that starts a grandchild burning 0.5 s of CPU: both are under the root.
    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5: pass"
    outer = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {burn!r}])"
    child = subprocess.Popen([sys.executable, "-c", outer])
    tree = TreeCpu(child.pid, every=0.05)
    child.wait()
    time.sleep(0.1)
    assert 0.4 <= tree.stop() < 5


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux /proc")
def test_the_sampler_yields_the_cpu_to_what_it_measures() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(2)"])
    tree = TreeCpu(child.pid, every=0.05)
    try:
        time.sleep(0.3)
        sampler = tree._thread.native_id
        nice = int(Path(f"/proc/self/task/{sampler}/stat").read_text().rsplit(")", 1)[1].split()[16])
        assert nice == 19
        assert os.getpriority(os.PRIO_PROCESS, 0) == 0  # this thread, and what it starts, keep theirs
        assert tree.peak_python_pss_mb > 0  # the first reading takes the memory too
    finally:
        child.kill()
        child.wait()
        tree.stop()


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="reads Linux /proc")
def test_memory_counts_shared_pages_once() -> None:
    # A forked child shares this process's pages: each one's PSS is about half their RSS.
    ballast = bytearray(64 << 20)  # 64 MB, written: resident in both after the fork
    ballast[::4096] = b"x" * len(ballast[::4096])
    before = pss_mb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child only sleeps)
        time.sleep(1)
        os._exit(0)
    try:
        time.sleep(0.3)
        assert pss_mb(os.getpid()) < before - 20  # the 64 MB now count half here, half there
        assert is_python(os.getpid()) and is_python(child.pid)
        assert pss_mb(999_999_999) == 0.0
    finally:
        os.waitpid(pid, 0)
        child.kill()
        child.wait()
    assert len(ballast) == 64 << 20


def test_speedups_and_table() -> None:
    def run(analysis: float, total: float) -> dict[str, float]:
        return {
            "analysis_articles_s": analysis,
            "total_articles_s": total,
            "ms_per_article": 1000 / total,
            "peak_rss_mb": 900.0,
            "pss_mb_per_core": 610.0,
            "busy_cores": 1.5,
        }

    runs = {"local[1]+pin": run(5.0, 4.0), "local[2]": run(9.0, 7.0)}
    speed = _speedups(runs)
    assert speed == {"analysis_speedup_vs_local[1]+pin": 1.8, "total_speedup_vs_local[1]+pin": 1.75}
    plain = _speedups({"single": run(6.0, 6.0), "single[2]": run(10.5, 10.5), "local[2]": run(9.0, 7.0)})
    assert plain["single[2]_analysis_speedup_vs_single"] == 1.75
    assert plain["total_speedup_vs_single[2]"] == round(7.0 / 10.5, 3)
    table = render({"100": {"articles": 100, "runs": runs, **speed}})
    assert "local[1]+pin" in table and "1.75x" in table and "1.50" in table and " 610 " in table


def test_rounds_are_pooled_over_summed_times() -> None:
    def run(seconds: float) -> dict[str, Any]:
        figures = {"articles": 100, "errors": 0, "analysis_s": seconds, "total_s": 2 * seconds}
        return _with_rates(figures | {"peak_rss_mb": 900.0})

    rounds = [{"local[2]": run(10.0), "local[1]": run(20.0)}, {"local[1]": run(30.0), "local[2]": run(14.0)}]
    pooled = _speedups(_pooled(rounds))
    assert pooled["analysis_speedup_vs_local[1]"] == round(50 / 24, 3)  # not the mean of 2.0 and 2.14
    result = {"articles": 100, "runs": rounds[0], "rounds": [{"runs": r} for r in rounds], "pooled": pooled}
    table = render({"100": result})
    assert "local[2] #2" in table and "pooled over 2 rounds: analysis_speedup_vs_local[1] 2.08x" in table


def test_a_failing_run_says_why(tmp_path: Path) -> None:
    child = _child("single", tmp_path / "missing.jsonl", pin=None)
    with pytest.raises(RuntimeError, match=r"single failed: .*missing\.jsonl"):
        _figures("single", child)


@pytest.mark.slow
def test_two_plain_processes_share_the_articles(tmp_path: Path) -> None:
    corpus = tmp_path / "sample.jsonl"
    assert sample([sample_corpus()], 4, corpus) == 4
    figures = _one("single[2]", corpus)
    assert figures["articles"] + figures["errors"] == 4 and figures["workers"] == 2
    assert figures["cpu_s"] > 0 and figures["analysis_s"] > 0
    assert not list(tmp_path.glob("*.part*"))  # the halves are removed


def test_balanced_parts_keep_order_and_size() -> None:
    lines = [b"x" * 90 + b"\n", b"a\n", b"y" * 50 + b"\n", b"b\n", b"z" * 40 + b"\n", b"c\n"]
    parts = balanced(lines, 2)
    assert sorted(parts[0] + parts[1]) == sorted(lines)
    for part in parts:  # each keeps the corpus order
        assert part == [line for line in lines if line in part]
    # The two longest lines go apart, and the sizes differ by less than the longest line.
    assert sum(lines[0] in part and lines[2] in part for part in parts) == 0
    sizes = [sum(map(len, part)) for part in parts]
    assert abs(sizes[0] - sizes[1]) < len(lines[0])
