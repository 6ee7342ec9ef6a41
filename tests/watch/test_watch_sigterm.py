"""SIGTERM during a cycle: the process stops at the next safe point, the store is consistent, and
the next run resumes without duplicates (nothing analysed twice), ending where an uninterrupted
run ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text
from watch_fakes import CountingAnalyzer, page, rss
from watch_helpers import loopback_settings, options, run_cycle

from veille.store import Store
from veille.store.schema import ArticleRow, IngestRun
from veille.store.watch_tables import WatchItem, WatchSource
from veille.watch import Watcher

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
N = 10

RUNNER = """
import sys
from watch_fakes import CountingAnalyzer
from watch_helpers import loopback_settings, options
from veille.watch.runner import run_watch

db, feed, delay, cycles = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
analyzer = CountingAnalyzer(delay=delay)
run_watch(
    [feed],
    db_url=db,
    settings=loopback_settings(),
    options=options(),
    alerts=[],
    cycles=int(cycles) if cycles != "-" else None,
    on_cycle=lambda report: print(report.summary_line(), flush=True),
    analyzer=analyzer,
)
print("ANALYSED", len(analyzer.documents), flush=True)
"""


def _watch(db: str, feed: str, *, delay: float, cycles: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(SRC)])}
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, db, feed, str(delay), cycles],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _articles(db: str) -> int:
    try:
        with Store.open(db) as store, store.read() as conn:
            return int(conn.execute(select(func.count()).select_from(ArticleRow)).scalar_one())
    except Exception:  # the first run has not created the database yet
        return 0


def _analysed(stdout: str) -> int:
    return int(next(line for line in stdout.splitlines() if line.startswith("ANALYSED")).split()[1])


def _snapshot(db: str) -> tuple[list[tuple[str, str]], int]:
    with Store.open(db) as store, store.read() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        rows = sorted(conn.execute(select(ArticleRow.source_key, ArticleRow.content_hash)).all())
        items = conn.execute(select(func.count()).select_from(WatchItem)).scalar_one()
    return [tuple(r) for r in rows], int(items)  # type: ignore[misc]


def test_sigterm_mid_cycle_then_resume(server, tmp_path: Path) -> None:
    for i in range(N):
        server.set(f"/a{i}.html", page(f"Article {i}", "Le Courrier", f"Texte numéro {i} du courrier."))
    items = [(f"Article {i}", server.url(f"/a{i}.html"), "court") for i in range(N)]
    server.set("/rss.xml", rss("Le Courrier", items), content_type="application/rss+xml")
    feed = server.url("/rss.xml")
    db = f"sqlite:///{tmp_path / 'killed.sqlite'}"

    proc = _watch(db, feed, delay=0.2, cycles="-")
    deadline = time.monotonic() + 60
    while _articles(db) < 2:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the watcher wrote nothing"
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "interrupted" in out
    first = _analysed(out)
    written = _articles(db)
    assert 2 <= written < N and first == written  # stopped between batches: nothing analysed in vain
    with Store.open(db) as store, store.read() as conn:
        source = conn.execute(select(WatchSource)).one()
        assert source.cursor is None and source.etag is None  # not complete: due again
        assert conn.execute(select(IngestRun.status)).scalar() == "interrupted"

    proc = _watch(db, feed, delay=0.0, cycles="1")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert _analysed(out) == N - written  # resumed: only what was missing
    with Store.open(db) as store, store.read() as conn:
        assert conn.execute(select(WatchSource.cursor)).scalar() is not None

    # The same feed watched without interruption, in this process: the same articles, the same items.
    reference = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    with Store.open(reference) as store:
        watcher = Watcher(
            store, [feed], settings=loopback_settings(), options=options(), analyzer=CountingAnalyzer()
        )
        watcher.start()
        run_cycle(watcher)
    assert _snapshot(db) == _snapshot(reference)
    assert _snapshot(db)[1] == N
