"""CPU time and memory of a process tree, read from Linux ``/proc``: what the load check and the
Spark measure report as the work done (a figure that survives a busy machine better than latencies
do), and the memory of processes that share pages (PSS)."""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
from pathlib import Path


def tree_cpu_by_process(pid: int) -> dict[int, float] | None:
    """CPU seconds (user + system) used so far by ``pid`` and each of its live descendants.

    None when ``pid`` does not exist or ``/proc`` is missing (not Linux). A process that ended is
    no longer listed: callers that need its share read the tree often enough.
    """
    proc = Path("/proc")
    if not (proc / str(pid) / "stat").exists():
        return None
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # The command name (field 2) may hold spaces and parentheses: split after its last ")".
        fields = stat[stat.rfind(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime + stime
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent and child not in tree]
        tree.update(children)
        frontier += children
    tick = os.sysconf("SC_CLK_TCK")
    return {p: ticks[p] / tick for p in tree if p in ticks}


def pss_mb(pid: int) -> float:
    """Proportional set size of ``pid`` in MB: its own pages plus its share of pages it shares.

    Summed over processes that share pages (Spark workers forked from a warmed-up daemon), it
    counts each page once, unlike resident sizes. 0.0 when unreadable (ended, not Linux).
    """
    return proc_mb(f"/proc/{pid}/smaps_rollup", "Pss:")


def proc_mb(path: str, field: str) -> float:
    """A "Field:  N kB" line of a ``/proc`` file, in MB; 0.0 when unreadable (ended, not Linux)."""
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def is_python(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().startswith("python")
    except OSError:
        return False


def lowest_priority() -> None:
    """Give the calling thread the lowest CPU priority (nice 19); nothing where that is unsupported.

    On Linux the nice value belongs to the thread (``setpriority`` on "process" 0 is the calling
    thread), so the processes this one starts later keep their priority.
    """
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, 0, 19)


class TreeCpu:
    """CPU seconds of a process and all its descendants, read from ``/proc`` every ``every`` seconds.

    ``os.times()`` misses them: pyspark's JVM and its Python workers are not waited for by the
    process that started them. A process's last fraction of a period is missed when it ends
    between two readings. Every ``memory_every`` seconds a reading also keeps
    ``peak_python_pss_mb``, the peak of the tree's Python processes' summed PSS.

    Measuring must not take CPU from what it measures, which on a busy machine it would: a PSS
    reading walks all the page tables of a process (about 12 ms in the kernel for a Spark worker
    holding the models, so every half second on four workers a tenth of a core). Hence the slower
    pace for memory, and a sampling thread at the lowest CPU priority (on Linux a thread's own).
    """

    def __init__(
        self, root: int, *, every: float = 0.5, memory_every: float = 5.0, root_memory: bool = True
    ) -> None:
        self._root, self._every, self._memory_every = root, every, memory_every
        self._seen: dict[int, float] = {}
        # Peak over readings of the Python processes' summed PSS (the root's too, unless it is a
        # Spark driver: the executors' memory is the daemon's and the workers').
        self.peak_python_pss_mb = 0.0
        self._root_memory = root_memory
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _read(self, *, memory: bool) -> None:
        tree = tree_cpu_by_process(self._root) or {}
        for pid, cpu in tree.items():
            self._seen[pid] = max(cpu, self._seen.get(pid, 0.0))
        if memory:
            pss = sum(pss_mb(p) for p in tree if (p != self._root or self._root_memory) and is_python(p))
            self.peak_python_pss_mb = max(self.peak_python_pss_mb, pss)

    def _run(self) -> None:
        lowest_priority()
        last_memory = -math.inf
        while not self._stop.wait(self._every):
            now = time.monotonic()
            memory = now - last_memory >= self._memory_every
            self._read(memory=memory)
            if memory:
                last_memory = now

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return sum(self._seen.values())
