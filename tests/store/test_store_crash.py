"""A SIGKILL in the middle of an ingest leaves a consistent store; the re-run completes it exactly.

The ingest runs in a subprocess with a slow deterministic stand-in for the pipeline (so the kill
lands between commits with certainty); the result after kill + re-run must equal, row for row
(surrogate ids aside), an uninterrupted run of the same input.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from veille.store import Store
from veille.store.records import ClaimRow, EventRow
from veille.store.schema import ArticleRow, EventCluster, Mention

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"

RUNNER = """
import sys, time
import veille.store.ingest as ingest_module
from store_fakes import fake_analysis
from veille.settings import Settings
from veille.store import Store

def slow(sources, **_kw):
    for raw in sources:
        time.sleep(float(sys.argv[3]))
        yield fake_analysis(raw)

ingest_module.analyze_many = slow
with Store.open(sys.argv[1]) as store:
    report = ingest_module.ingest([sys.argv[2]], store=store, settings=Settings(batch_size=2))
print(report.summary_line())
"""


def _corpus(path: Path) -> Path:
    lines = []
    for i in range(30):
        day = f"2022-03-{i % 5 + 1:02d}"
        text = (
            f"Report {i % 10}: Alpha met Beta on {day} near the river, officials said, and the talks "
            f"covered trade, energy, transport and the border crossings that closed last winter. {day}"
        )
        lines.append(
            {"id": f"n{i}", "text": text, "published": day, "source": f"Outlet {i % 4}", "lang": "en"}
        )
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path


def _run(db: str, corpus: Path, *, delay: float) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(SRC)])}
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, db, str(corpus), str(delay)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _articles(db: str) -> int:
    try:
        with Store.open(db) as store, store.read() as conn:
            return len(conn.execute(select(ArticleRow.id)).all())
    except OperationalError:
        return 0


def _snapshot(db: str) -> dict[str, Any]:
    """The store's content with surrogate ids replaced by source keys."""
    with Store.open(db) as store, store.read() as conn:
        keys = dict(conn.execute(select(ArticleRow.id, ArticleRow.source_key)).all())
        articles = sorted(
            (
                r.source_key,
                r.content_hash,
                r.text,
                str(r.published),
                r.outlet,
                r.is_canonical,
                None if r.dedup_group is None else keys[r.dedup_group],
            )
            for r in conn.execute(select(ArticleRow))
        )
        event_key = {r.id: (keys[r.article_id], r.local_id) for r in conn.execute(select(EventRow))}
        events = sorted(
            (
                keys[r.article_id],
                r.local_id,
                r.cameo,
                r.source_code,
                r.target_code,
                str(r.day),
                event_key[r.cluster_id],
            )
            for r in conn.execute(select(EventRow))
        )
        clusters = sorted(
            (event_key[r.id], r.num_mentions, r.num_sources, r.num_articles, str(r.date))
            for r in conn.execute(select(EventCluster))
        )
        mentions = sorted((keys[r.article_id], r.kind, r.sentence_id) for r in conn.execute(select(Mention)))
        claims = len(conn.execute(select(ClaimRow.id)).all())
    return {
        "articles": articles,
        "events": events,
        "clusters": clusters,
        "mentions": mentions,
        "claims": claims,
    }


def test_sigkill_midway_then_rerun_equals_uninterrupted(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl")
    reference = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    crashed = f"sqlite:///{tmp_path / 'crashed.sqlite'}"

    done = _run(reference, corpus, delay=0.0)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert out.startswith("30 new")

    victim = _run(crashed, corpus, delay=0.1)
    deadline = time.monotonic() + 120
    while _articles(crashed) < 8:
        assert victim.poll() is None, victim.communicate()[1]
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    partial = _articles(crashed)
    if partial >= 30:
        pytest.fail("the kill came too late to test anything")

    rerun = _run(crashed, corpus, delay=0.0)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert out.startswith(f"{30 - partial} new, {partial} unchanged"), out
    assert _snapshot(crashed) == _snapshot(reference)
