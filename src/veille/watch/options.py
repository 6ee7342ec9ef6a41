"""What a watcher is told (:class:`WatchOptions`) and what each cycle reports (:class:`CycleReport`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from veille.ingest.items import Skipped
from veille.ingest.raw import RawDocument
from veille.models import Analysis, Failure
from veille.settings import Settings
from veille.watch.http import ClientLimits
from veille.watch.state import backoff

if TYPE_CHECKING:
    from veille.pipeline import AnalyzeOptions

# ``veille.pipeline.analyze_many``'s signature: (raws, *, settings, options) -> results in order.
Analyzer = Callable[..., Iterable[Analysis | Failure]]


def pipeline(
    raws: list[RawDocument], *, settings: Settings, options: AnalyzeOptions
) -> Iterable[Analysis | Failure]:
    from veille.pipeline import analyze_many  # spaCy is imported only when there is work for it

    return analyze_many(raws, settings=settings, options=options)


@dataclass(frozen=True, kw_only=True)
class WatchOptions:
    every: dt.timedelta = dt.timedelta(minutes=15)
    backoff_base: dt.timedelta | None = None  # default: the heartbeat, at least one minute
    backoff_cap: dt.timedelta = dt.timedelta(hours=6)
    limits: ClientLimits = field(default_factory=ClientLimits)
    analyze: AnalyzeOptions | None = None  # default: AnalyzeOptions() (language detected)

    def retry_in(self, errors: int, *, at_least_s: float | None = None) -> dt.timedelta:
        base = self.backoff_base or max(self.every, dt.timedelta(minutes=1))
        wait = backoff(errors, base=base, cap=self.backoff_cap)
        return max(wait, dt.timedelta(seconds=at_least_s or 0))


@dataclass
class CycleReport:
    number: int
    sources: int = 0  # due and read
    unchanged_sources: int = 0
    failed_sources: int = 0
    pages: int = 0  # linked pages read
    counts: Counter[str] = field(default_factory=Counter)  # new, updated, unchanged, copies, failed, waiting
    analysed: int = 0
    alerts: int = 0
    delivered: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    problems: list[Skipped] = field(default_factory=list)

    def summary_line(self) -> str:
        c = self.counts
        line = (
            f"cycle {self.number}: {self.sources} sources ({self.unchanged_sources} unchanged, "
            f"{self.failed_sources} failed), {self.pages} pages read; "
            f"{c['new']} new, {c['updated']} updated, {c['copies']} copies, "
            f"{c['unchanged']} unchanged, {c['failed']} failed; "
            f"{self.analysed} analysed; {self.alerts} alerts, {self.delivered} delivered "
            f"in {self.seconds:.1f} s ({self.cpu_seconds:.1f} s CPU)"
        )
        return line + (" — interrupted" if self.interrupted else "")

    def lines(self, *, problems: int = 10) -> list[str]:
        """What the command prints: the first problems (failed sources and items), then the summary."""
        shown = [f"veille: {p.source}: {p.reason}" for p in self.problems[:problems]]
        if len(self.problems) > problems:
            shown.append(f"veille: … and {len(self.problems) - problems} more")
        return [*shown, self.summary_line()]
