"""CPU used by a process tree, for the load check's "CPU per request" figures (Linux ``/proc``)."""

from __future__ import annotations

from veille.evaluate.proctree import tree_cpu_by_process


class TreeProbe:
    """CPU seconds (user + system) used so far by process ``pid`` and all its live descendants,
    each reading also kept per process, to tell how the work was shared.

    The server's CPU per request is the figure that survives a busy machine: latencies move with
    whatever else runs on the cores, the work done per answer does not. With several server
    processes, each keeps the keep-alive connections it accepted: a lopsided split of the CPU means
    one process queued more clients than the other. Linux ``/proc`` only (None elsewhere); a
    process that ends between two readings is simply not counted.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._first: dict[int, float] | None = None
        self._last: dict[int, float] = {}

    def __call__(self) -> float | None:
        by_process = tree_cpu_by_process(self.pid)
        if by_process is None:
            return None
        if self._first is None:
            self._first = by_process
        self._last = by_process
        return sum(by_process.values())

    def split(self) -> list[float]:
        """CPU seconds of each process between the first and the last reading, largest first."""
        first = self._first or {}
        used = [seconds - first.get(pid, 0.0) for pid, seconds in self._last.items()]
        return sorted((s for s in used if s > 0), reverse=True)
