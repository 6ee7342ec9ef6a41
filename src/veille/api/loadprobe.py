"""CPU used by a process tree, for the load check's "CPU per request" figures (Linux ``/proc``)."""

from __future__ import annotations

import os
from pathlib import Path


def process_tree_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by process ``pid`` and all its live descendants.

    The server's CPU per request is the figure that survives a busy machine: latencies move with
    whatever else runs on the cores, the work done per answer does not. Linux ``/proc`` only (None
    elsewhere); a process that ends between two readings is simply not counted.
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
            continue
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
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")
