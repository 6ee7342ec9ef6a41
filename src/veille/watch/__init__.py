"""watch: continuous monitoring of feeds, sitemaps and URL lists (``veille watch``).

Every heartbeat (15 minutes by default) a :class:`~veille.watch.cycle.Watcher` reads the sources
that are due through one shared, polite HTTP client (:mod:`veille.watch.http`), analyses and stores
what is new exactly once (:mod:`veille.watch.plan`), re-links the store, and raises alerts from the
watchlist's rules (:mod:`veille.watch.watchlist`, :mod:`veille.watch.detect`), delivered at most once
per destination (:mod:`veille.watch.deliver`). Per-source and per-item state lives in the store
(tables of :mod:`veille.store.watch_tables`), so a restart resumes where the last run stopped.
"""

from veille.watch.cycle import Watcher
from veille.watch.http import ClientLimits, PoliteClient
from veille.watch.options import CycleReport, WatchOptions
from veille.watch.runner import parse_every, run_watch
from veille.watch.watchlist import DEFAULT_WATCHLIST, Watchlist, load_watchlist

__all__ = [
    "DEFAULT_WATCHLIST",
    "ClientLimits",
    "CycleReport",
    "PoliteClient",
    "WatchOptions",
    "Watcher",
    "Watchlist",
    "load_watchlist",
    "parse_every",
    "run_watch",
]
