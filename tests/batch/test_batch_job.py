"""The Spark job gives the same facts as the single-process pipeline and the store.

``test_spark_output_equals_single_process`` is the one end-to-end run of the default suite: six
sample articles plus broken records (not JSON, binary text, too long, over the line cap), on
``local[2]``, compared table by table with ``analyze_many`` in this process. The slow test compares
deduplication, event/claim linking and the GDELT lines with the store's on hand-made analyses.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import linked_analyses, read_lines, read_table

from veille.demo import sample_corpus
from veille.ingest.corpus import read_corpus
from veille.ingest.items import Item, Skipped
from veille.models import Analysis, Failure
from veille.pipeline import analyze_many
from veille.settings import Settings
from veille.store import dedup
from veille.store.rows import TextIndex, claim_row, event_row, parse_day, simple_rows

SETTINGS = Settings(max_text_chars=30_000, max_input_bytes=120_000)


def _corpus(folder: Path) -> Path:
    """Six sample articles, then one broken record of each kind the job must survive."""
    lines = sample_corpus().read_bytes().splitlines()[:6]
    long_text = " ".join(["Une phrase assez longue pour remplir le texte."] * 1000)  # ~47,000 chars
    lines += [
        b"\xff\xfe{garbage \x00\x9c not json",
        json.dumps({"id": "binary", "lang": "en", "text": "\x00\x01\x02\x03\x04" * 400}).encode(),
        json.dumps({"id": "huge", "lang": "fr", "text": long_text}).encode(),
        json.dumps({"id": "over-cap", "lang": "fr", "text": "x " * 70_000}).encode(),
    ]
    path = folder / "corpus" / "mixed.jsonl"
    path.parent.mkdir()
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _by_source(rows: list[dict[str, Any]], sources: dict[int, str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (r["article_id"], r.get("position", 0))):
        out.setdefault(sources[row["article_id"]], []).append(row)
    return out


def _expected_rows(a: Analysis, published: Any) -> dict[str, list[dict[str, Any]]]:
    index = TextIndex(a.article.text)
    rows = simple_rows(a)
    rows["events"] = [event_row(e, i, published=published, index=index) for i, e in enumerate(a.events)]
    rows["claims"] = [claim_row(c, i) for i, c in enumerate(a.claims)]
    return rows


def _band_pairs(texts: dict[str, str]) -> set[frozenset[str]]:
    """The store's near-duplicate rule, by brute force: a shared LSH band and similarity ≥ threshold."""
    sigs = {k: dedup.signature(t) for k, t in texts.items()}
    pairs = set()
    for a, b in itertools.combinations(sorted(k for k, s in sigs.items() if s is not None), 2):
        sa, sb = sigs[a], sigs[b]
        assert sa is not None and sb is not None
        shared_band = set(dedup.band_hashes(sa)) & set(dedup.band_hashes(sb))
        if shared_band and dedup.similarity(sa, sb) >= SETTINGS.dedup_threshold:
            pairs.add(frozenset((a, b)))
    return pairs


def test_local_workers_run_the_drivers_python(spark: Any) -> None:
    # Python UDF workers start PYSPARK_PYTHON (default: the first `python3` on the PATH); from a
    # virtualenv that is another interpreter, without veille, unless the session sets it.
    # A lambda travels by value (this test module is not importable in the workers).
    probe = lambda _: (sys.executable, importlib.util.find_spec("veille") is not None)  # noqa: E731
    seen = set(spark.sparkContext.parallelize(range(4), 2).map(probe).collect())
    assert seen == {(sys.executable, True)}


def test_the_read_stage_has_a_daemon_without_models(spark: Any) -> None:
    from veille.batch.daemon import ROLE_ENV, TASKS_ENV, read_tasks

    sc = spark.sparkContext
    probe = lambda _: (os.environ.get(TASKS_ENV), os.environ.get(ROLE_ENV), os.getppid())  # noqa: E731
    with read_tasks(sc):  # the pipeline is wrapped for the JVM by partitionBy, inside the block
        read = sc.parallelize(range(4), 2).map(probe).keyBy(lambda _: 0).partitionBy(1)
    assert TASKS_ENV not in sc.environment
    readers = set(read.values().collect())
    analysers = set(sc.parallelize(range(4), 2).map(probe).collect())
    assert {(tasks, role) for tasks, role, _ in readers} == {("read", "reader")}
    assert {(tasks, role) for tasks, role, _ in analysers} == {(None, "daemon")}
    # Two daemons: the workers of each stage were forked by a different parent.
    assert not {parent for *_, parent in readers} & {parent for *_, parent in analysers}


def test_spark_output_equals_single_process(spark: Any, tmp_path: Path) -> None:
    from veille.batch.job import run_job
    from veille.batch.options import JobOptions

    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    summary = run_job(spark, [str(corpus.parent)], str(out), settings=SETTINGS, job=JobOptions(partitions=3))

    entries = list(read_corpus(corpus, settings=SETTINGS))
    items = [e for e in entries if isinstance(e, Item)]
    results = list(analyze_many([i.raw for i in items if i.raw], settings=SETTINGS))
    analyses = {r.article.id: r for r in results if isinstance(r, Analysis)}
    expected_errors = {(e.source, e.reason) for e in entries if isinstance(e, Skipped)}
    expected_errors |= {(f.source, f.error) for f in results if isinstance(f, Failure)}

    articles = read_table(spark, out, "articles")
    errors = read_table(spark, out, "errors")
    assert {(e["source"], e["reason"]) for e in errors} == expected_errors
    assert len(expected_errors) == 4 and summary.counts["errors"] == 4  # the job went on
    assert len(articles) == len(analyses) == 6 == summary.counts["articles"]

    sources = {a["article_id"]: a["uid"] for a in articles}
    for row in articles:
        reference = analyses[row["uid"]].to_json_dict()
        assert row["text"] == reference["article"].pop("text")
        assert json.loads(row["analysis"]) == reference
        day = parse_day(reference["article"]["published"]["date"])
        assert row["published"] == day and (str(row["pub_date"]) if day else None) == (
            day and day.isoformat()
        )

    for table in ("article_dates", "entities", "actors", "places", "quotes", "events", "claims"):
        got = _by_source(read_table(spark, out, table), sources)
        for uid, analysis in analyses.items():
            published = parse_day(analysis.article.published.date)
            expected = _expected_rows(analysis, published)[table]
            rows = got.get(uid, [])
            assert [{k: r[k] for k in e} for r, e in zip(rows, expected, strict=True)] == expected, table

    pairs = read_table(spark, out, "near_duplicates")
    found = {frozenset((sources[p["article_a"]], sources[p["article_b"]])) for p in pairs}
    assert found == _band_pairs({uid: a.article.text for uid, a in analyses.items()})
    event_clusters = read_table(spark, out, "event_clusters")
    events_tsv = read_lines(out / "gdelt" / "events")
    assert len(events_tsv) == len(event_clusters) and all(len(x.split("\t")) == 61 for x in events_tsv)
    assert all(len(x.split("\t")) == 16 for x in read_lines(out / "gdelt" / "mentions"))
    stats = json.loads((out / "_job.json").read_text(encoding="utf-8"))["partition_stats"]
    assert sum(s["articles"] for s in stats) == 6 and all(s["peak_rss_mb"] > 0 for s in stats)
    # The workers were forked from veille's daemon, models loaded before the fork.
    assert {s["started_by"] for s in stats} == {"daemon"}


def _store_links(tmp_path: Path, analyses: list[Analysis]) -> dict[str, Any]:
    """Clusters, pairs and GDELT lines the store gives for the same analyses."""
    from sqlalchemy import select

    from veille.store import SourceInfo, Store, content_hash
    from veille.store.export.gdelt import write_events, write_mentions
    from veille.store.records import ClaimRow, EventRow
    from veille.store.schema import ArticleRow, ClaimCluster, NearDuplicate

    with Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        for a in analyses:
            store.write(a, SourceInfo(key=a.article.id, content_hash=content_hash(a.article.text)))
        store.relink(force=True)
        with store.read() as conn:
            uid = dict(conn.execute(select(ArticleRow.id, ArticleRow.uid)).all())
            events = conn.execute(select(EventRow.article_id, EventRow.local_id, EventRow.cluster_id)).all()
            claims = conn.execute(select(ClaimRow.article_id, ClaimRow.local_id, ClaimRow.cluster_id)).all()
            clusters = conn.execute(
                select(ClaimCluster.id, ClaimCluster.status, ClaimCluster.contradiction)
            ).all()
            pairs = conn.execute(select(NearDuplicate.article_a, NearDuplicate.article_b)).all()
            events_tsv, mentions_tsv = io.StringIO(), io.StringIO()
            write_events(conn, events_tsv)
            write_mentions(conn, mentions_tsv)
    claim_status = {cid: (status, bool(flag)) for cid, status, flag in clusters}
    return {
        "events": _groups((uid[a], local, c) for a, local, c in events),
        "claims": _groups((uid[a], local, c) for a, local, c in claims),
        "claim_status": {
            frozenset((uid[a], local) for a, local, c in claims if c == cid): s
            for cid, s in claim_status.items()
        },
        "pairs": {frozenset((uid[a], uid[b])) for a, b in pairs},
        "events_tsv": events_tsv.getvalue().splitlines(),
        "mentions_tsv": mentions_tsv.getvalue().splitlines(),
    }


def _groups(members: Any) -> set[frozenset[tuple[str, str]]]:
    by_cluster: dict[Any, set[tuple[str, str]]] = {}
    for uid, local, cluster in members:
        by_cluster.setdefault(cluster, set()).add((uid, local))
    return {frozenset(g) for g in by_cluster.values()}


def _without(lines: list[str], columns: set[int]) -> list[tuple[str, ...]]:
    """Lines minus columns that differ by construction (ids, the time undated articles were added)."""
    return sorted(tuple(c for i, c in enumerate(line.split("\t")) if i not in columns) for line in lines)


@pytest.mark.slow
def test_links_and_gdelt_equal_the_store(spark: Any, tmp_path: Path) -> None:
    from veille.batch.records import article_row
    from veille.batch.schemas import STAGING_SCHEMA
    from veille.batch.tables import write_tables
    from veille.ingest.raw import RawDocument

    analyses = linked_analyses()
    rows = [
        article_row(i, a.article.id, RawDocument(source=a.article.id, text=a.article.text), a)
        for i, a in enumerate(analyses, start=1)
    ]
    out = tmp_path / "out"
    # Undated articles are dated by when they were added: now, for the store and for the job.
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    write_tables(
        spark, spark.createDataFrame(rows, STAGING_SCHEMA), str(out), run_time=now, dedup_threshold=0.5
    )
    expected = _store_links(tmp_path, analyses)

    uid = {a["article_id"]: a["uid"] for a in read_table(spark, out, "articles")}
    events = read_table(spark, out, "events")
    claims = read_table(spark, out, "claims")
    assert (
        _groups((uid[e["article_id"]], e["local_id"], e["cluster_id"]) for e in events) == expected["events"]
    )
    assert (
        _groups((uid[c["article_id"]], c["local_id"], c["cluster_id"]) for c in claims) == expected["claims"]
    )
    status = {
        frozenset((uid[c["article_id"]], c["local_id"]) for c in claims if c["cluster_id"] == k["id"]): (
            k["status"],
            k["contradiction"],
        )
        for k in read_table(spark, out, "claim_clusters")
    }
    assert status == expected["claim_status"]
    assert ("contested", True) in status.values()  # denied by one outlet, confirmed by another
    pairs = {
        frozenset((uid[p["article_a"]], uid[p["article_b"]]))
        for p in read_table(spark, out, "near_duplicates")
    }
    assert pairs == expected["pairs"] == {frozenset(("report", "copy"))}
    # GDELT lines: the same but for GLOBALEVENTID (ids differ) and DATEADDED / mention times.
    assert _without(read_lines(out / "gdelt" / "events"), {0, 59}) == _without(
        expected["events_tsv"], {0, 59}
    )
    assert _without(read_lines(out / "gdelt" / "mentions"), {0, 1, 2}) == _without(
        expected["mentions_tsv"], {0, 1, 2}
    )
    assert len(expected["events_tsv"]) == 4  # the visit (2 days), the follow-up visit, the move, the rumour
