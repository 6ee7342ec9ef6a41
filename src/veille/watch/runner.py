"""The heartbeat: a cycle every ``--every`` (15 minutes, GDELT's beat), until ``--cycles`` or a signal.

SIGTERM or SIGINT sets a stop flag: the cycle under way finishes its current analysis batch (the
safe point, see :mod:`veille.watch.cycle`), records what is complete, and the process exits 0.
A second SIGINT/SIGTERM gets the default behaviour (immediate exit): the store stays consistent
anyway, each article being committed on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import signal
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from veille.errors import InputError, StoreError
from veille.settings import Settings
from veille.store import Store
from veille.store.engine import redact
from veille.watch.cycle import Watcher
from veille.watch.deliver import Sink, make_sink
from veille.watch.http import PoliteClient
from veille.watch.options import Analyzer, CycleReport, WatchOptions
from veille.watch.watchlist import DEFAULT_WATCHLIST, Watchlist

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|h|m|s)?", re.IGNORECASE)
_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "": 1.0}


def parse_every(text: str) -> dt.timedelta:
    """``15m``, ``1h30m``, ``90s``, ``2h``, or a number of seconds."""
    cleaned = text.strip().lower().replace(" ", "")
    pos, seconds = 0, 0.0
    while pos < len(cleaned):
        match = _DURATION.match(cleaned, pos)
        if match is None or match.end() == pos:
            raise InputError(f"--every expects a duration like 15m, 1h or 90s, got {text!r}")
        seconds += float(match.group(1)) * _UNITS[(match.group(2) or "").lower()]
        pos = match.end()
    if not cleaned:
        raise InputError("--every expects a duration like 15m, 1h or 90s, got ''")
    return dt.timedelta(seconds=seconds)


def source_url(text: str) -> str:
    """What a SOURCE argument names: an http(s) URL as given, a file as a ``file://`` URL."""
    if text.lower().startswith(("http://", "https://")):
        return text
    path = Path(text).expanduser()
    if not path.is_file():
        raise InputError(
            "no such file (a SOURCE is an http(s) URL or a local feed, sitemap or URL list)", source=text
        )
    return f"file://{path.resolve()}"


class StopFlag:
    """Set by a signal; seen by the event loop (sleeps) and by the worker thread (batches)."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._wake: asyncio.Event | None = None

    def bind(self) -> None:
        self._wake = asyncio.Event()

    def set(self) -> None:
        self.event.set()
        if self._wake is not None:
            self._wake.set()

    async def sleep(self, seconds: float) -> None:
        if self._wake is None or seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)


def _install_signals(stop: StopFlag) -> Callable[[], None]:
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []

    def on_signal(sig: signal.Signals) -> None:
        stop.set()
        for each in installed:  # a second signal: default behaviour (exit now)
            loop.remove_signal_handler(each)

    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, on_signal, sig)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
            pass

    def remove() -> None:
        for each in installed:
            loop.remove_signal_handler(each)

    return remove


async def watch_loop(
    watcher: Watcher,
    client_factory: Callable[[], PoliteClient],
    *,
    cycles: int | None,
    stop: StopFlag,
    on_cycle: Callable[[CycleReport], None],
) -> int:
    """Run cycles on the heartbeat; return how many ran."""
    stop.bind()
    remove = _install_signals(stop)
    every = watcher.options.every.total_seconds()
    ran = 0
    try:
        async with client_factory() as client:
            start = time.monotonic()
            while not stop.event.is_set() and (cycles is None or ran < cycles):
                report = await watcher.cycle(client)
                ran += 1
                on_cycle(report)
                if stop.event.is_set() or (cycles is not None and ran >= cycles):
                    break
                # The next beat; beats missed by a long cycle are skipped, not run back to back.
                elapsed = time.monotonic() - start
                beats = int(elapsed // every) + 1 if every > 0 else 0
                await stop.sleep(start + beats * every - time.monotonic())
    finally:
        remove()
    return ran


def run_watch(
    sources: Sequence[str],
    *,
    db_url: str,
    settings: Settings,
    options: WatchOptions,
    watchlist: Watchlist = DEFAULT_WATCHLIST,
    alerts: Sequence[str] = ("-",),
    cycles: int | None = None,
    on_cycle: Callable[[CycleReport], None] = lambda _r: None,
    analyzer: Analyzer | None = None,
) -> int:
    """``veille watch``: open the store, watch ``sources``, deliver alerts; return the cycles run."""
    urls = [source_url(s) for s in sources]
    sinks: list[Sink] = [make_sink(target, user_agent=settings.fetch.user_agent) for target in alerts]
    stop = StopFlag()
    try:
        with Store.open(db_url, dedup_threshold=settings.dedup_threshold) as store:
            watcher = Watcher(
                store,
                urls,
                settings=settings,
                options=options,
                watchlist=watchlist,
                sinks=sinks,
                stop=stop.event,
            )
            if analyzer is not None:
                watcher.analyzer = analyzer
            watcher.start()

            def client() -> PoliteClient:
                return PoliteClient(
                    fetch=settings.fetch, max_bytes=settings.max_input_bytes, limits=options.limits
                )

            return asyncio.run(watch_loop(watcher, client, cycles=cycles, stop=stop, on_cycle=on_cycle))
    except SQLAlchemyError as exc:
        raise StoreError(f"database error ({type(exc).__name__}: {exc})", source=redact(db_url)) from None
    finally:
        for sink in sinks:
            sink.close()
