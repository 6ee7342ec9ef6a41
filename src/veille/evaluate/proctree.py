"""CPU time of a process tree, read from Linux ``/proc``: what the load check and the Spark measure
report as the work done, a figure that survives a busy machine better than latencies do."""

from __future__ import annotations

import os
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
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def is_python(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().startswith("python")
    except OSError:
        return False
