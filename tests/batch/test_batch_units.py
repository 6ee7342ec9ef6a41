"""Pieces of the batch job that need no Spark session: ids, inputs, partitions, rows, GDELT values."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="the batch job needs pyspark (pip install 'veille[spark]')")

from batch_helpers import linked_analyses

from veille.batch import analyse as analyse_module
from veille.batch.analyse import analyse_entries
from veille.batch.graph import chain_days
from veille.batch.inputs import SEQ_BITS, discover, layout, partition_count, read_file, spread
from veille.batch.records import article_row, row_id
from veille.batch.schemas import CHILD_SCHEMAS, STAGING_SCHEMA
from veille.errors import InputError, ModelError
from veille.ingest.items import Item, Skipped
from veille.ingest.raw import RawDocument
from veille.models import Analysis, Article
from veille.settings import Settings
from veille.store.export.gdelt import event_columns, mention_columns
from veille.store.export.gdelt_rows import event_day, event_values, line, mention_values

D = dt.date


def test_chain_days_groups_within_one_day_of_the_first_not_of_the_previous() -> None:
    members = [(D(2021, 3, 11), 7), (D(2021, 3, 9), 5), (D(2021, 3, 10), 3), (D(2021, 3, 12), 9)]
    assert dict(chain_days(members)) == {5: 3, 3: 3, 7: 7, 9: 7}
    assert chain_days([]) == []


def test_discover_files_and_folders_in_a_stable_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.jsonl.gz", "b/1.warc", "a.jsonl", "b/notes.txt"):
        (tmp_path / name).write_bytes(b"")
    files = discover([str(tmp_path / "a.jsonl"), str(tmp_path / "b")])
    assert [(Path(f.path).name, f.kind, f.index) for f in files] == [
        ("a.jsonl", "corpus", 0),
        ("1.warc", "warc", 1),
        ("2.jsonl.gz", "corpus", 2),
    ]
    with pytest.raises(InputError, match="no such file"):
        discover([str(tmp_path / "missing.jsonl")])
    with pytest.raises(InputError, match="not a corpus"):
        discover([str(tmp_path / "b" / "notes.txt")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no \.jsonl"):
        discover([str(tmp_path / "empty")])


def test_partitions_follow_the_input_size_and_spread_evenly(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b"x" * 3_000_000)
    files = discover([str(path)])
    assert partition_count(files, parallelism=2, target_chars=1_000_000) == 16  # at least 8 per core
    assert partition_count(files, parallelism=2, target_chars=100_000) == 30
    # consecutive ids of one file (and of several files) land evenly on the partitions
    ids = [(f << SEQ_BITS) | r for f in range(3) for r in range(3000)]
    counts = Counter(spread(i) % 7 for i in ids)
    assert len(counts) == 7 and max(counts.values()) < 1.1 * min(counts.values())
    flat = layout(7, cores=2, tail_levels=0)
    assert flat.partitions == 7
    counts = Counter(flat.slot(i) for i in ids)
    assert len(counts) == 7 and max(counts.values()) < 1.1 * min(counts.values())


def test_layout_ends_with_ever_smaller_partitions() -> None:
    plan = layout(16, cores=2)
    assert plan.partitions == 16 + 2 * 4 and plan.bounds[-1] == 1.0
    assert list(plan.bounds) == sorted(plan.bounds)
    ids = [(f << SEQ_BITS) | r for f in range(4) for r in range(1, 20_001)]
    counts = Counter(plan.slot(i) for i in ids)
    assert sorted(counts) == list(range(24))
    even = [counts[p] for p in range(16)]
    assert max(even) < 1.1 * min(even)
    # each round of the tail (one partition per core) holds about half the round before it
    rounds = [counts[16 + 2 * k] + counts[17 + 2 * k] for k in range(4)]
    mean_even = sum(even) / 16
    for k, size in enumerate(rounds, start=1):
        assert 0.8 < size / (2 * mean_even * 0.5**k) < 1.2
    # one core: the tail is one partition per round; the slot depends on the id only
    assert layout(8, cores=1).partitions == 12
    assert plan.slot(12345) == layout(16, cores=2).slot(12345)


def test_read_file_numbers_entries_by_file_and_rank(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "Un texte."}\nnot json\n', encoding="utf-8")
    (task,) = discover([str(path)])
    task = type(task)(5, task.path, task.kind, task.size, task.gzipped)
    entries = list(read_file(task, settings=Settings()))
    assert [i for i, _ in entries] == [(5 << SEQ_BITS) | 1, (5 << SEQ_BITS) | 2]
    assert isinstance(entries[0][1], Item) and isinstance(entries[1][1], Skipped)


def test_article_row_matches_the_staging_schema() -> None:
    a = linked_analyses()[2]
    row = article_row(3, "key", RawDocument(source="s", text=a.article.text), a)
    names = STAGING_SCHEMA.fieldNames()
    data = dict(zip(names, row, strict=True))
    assert data["article_id"] == 3 and data["pub_date"] == "2021-03-13" and data["error"] is None
    assert json.loads(data["analysis"])["article"].get("text") is None
    events = [dict(zip(CHILD_SCHEMAS["events"].fieldNames(), e, strict=True)) for e in data["events"]]
    claims = [dict(zip(CHILD_SCHEMAS["claims"].fieldNames(), c, strict=True)) for c in data["claims"]]
    assert [e["event_id"] for e in events] == [row_id(3, 0), row_id(3, 1)]
    # the event tied to claim c1 carries the claim's global id
    assert events[1]["claim_id"] == claims[0]["claim_id"] == row_id(3, 0)
    assert isinstance(events[0]["goldstein"], float) and events[0]["day"] == D(2021, 3, 11)
    assert len(data["mentions"]) == 3  # two events, one claim


def _fake_analysis(raw: RawDocument) -> Analysis:
    return Analysis(veille_version="t", article=Article(id=raw.source, text=raw.text or ""))


def test_an_article_breaking_its_batch_is_isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_many(sources: Any, **_: Any) -> Any:
        raise RuntimeError("boom")

    def one(raw: RawDocument, **_: Any) -> Analysis:
        if raw.source == "bad":
            raise KeyError("time_nouns")
        return _fake_analysis(raw)

    monkeypatch.setattr(analyse_module, "analyze_many", broken_many)
    monkeypatch.setattr(analyse_module, "analyze", one)
    entries = [
        (i, Item(key=name, source=name, raw=RawDocument(source=name, text=f"Texte {name}.")))
        for i, name in enumerate(["good", "bad", "fine"])
    ]
    entries.append((3, Skipped("c.jsonl:4", "not a JSON record")))
    stats: list[Any] = []
    rows = list(
        analyse_entries(entries, settings=Settings(), options=analyse_module.AnalyzeOptions(), stats=stats)
    )
    by_id = {r[0]: dict(zip(STAGING_SCHEMA.fieldNames(), r, strict=True)) for r in rows}
    assert by_id[1]["error"] == "internal error (KeyError: 'time_nouns')" and by_id[1]["stage"] == "analyze"
    assert by_id[3]["error"] == "not a JSON record" and by_id[3]["stage"] == "read"
    assert by_id[0]["error"] is None and by_id[2]["uid"] == "fine"
    assert (stats[0].articles, stats[0].errors) == (2, 2)

    def no_model(sources: Any, **_: Any) -> Any:
        raise ModelError("spaCy model 'x' is not installed")

    monkeypatch.setattr(analyse_module, "analyze_many", no_model)
    with pytest.raises(ModelError):  # an installation problem stops the job
        list(analyse_entries(entries[:1], settings=Settings(), options=analyse_module.AnalyzeOptions()))


def test_gdelt_values_have_the_store_widths_and_codes() -> None:
    seen = dt.datetime(2021, 3, 9)
    cluster = {
        "id": 42,
        "date": None,
        "first_seen": seen,
        "event_code": "042",
        "base_code": "042",
        "root_code": "04",
        "num_mentions": 2,
        "num_sources": 2,
        "num_articles": 2,
    }
    ev = {
        "date": "2021-02",
        "source_code": "FRAGOV",
        "source_text": "Paris",
        "target_code": "IGOWSTNAT",
        "target_text": "Nato",
        "is_root_event": True,
        "quad_class": 1,
        "goldstein": 1.9,
        "place_name": "Berlin",
        "place_country": "DE",
        "place_lat": 52.52,
        "place_lon": 13.41,
        "place_geonameid": 2950159,
    }
    values = event_values(cluster, ev, place=("city", "16"), link="https://x.example/a")
    assert len(values) == len(event_columns()) == 61
    cells = line(values).split("\t")
    assert cells[:4] == ["42", "20210201", "202102", "2021"]  # a month counts as its first day
    assert cells[5:8] == ["FRAGOV", "PARIS", "FRA"] and cells[15] == "IGOWSTNAT" and cells[18] == "NAT"
    assert cells[51:55] == ["4", "Berlin, Germany", "GM", "GM16"] and cells[-1] == "https://x.example/a"
    assert event_day(None, None, seen) == D(2021, 3, 9)
    mention = {
        "cluster_id": 42,
        "sentence_id": 1,
        "actor1_offset": 0,
        "actor2_offset": -1,
        "action_offset": 5,
        "in_raw_text": True,
        "confidence": 70,
        "doc_len": 100,
    }
    article = {"url": None, "outlet": None, "source_key": "c.jsonl#a", "language": "fr"}
    values = mention_values(mention, article, first_seen=seen, seen=seen)
    assert len(values) == len(mention_columns()) == 16
    assert line(values).split("\t")[3:6] == ["2", "", "c.jsonl#a"] and values[14] == "srclc:fra"


def test_warc_records_are_read_like_ingest_reads_them(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    page = b"<html><body><p>Le conseil municipal a vote le budget mardi soir.</p></body></html>"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            "https://ville.example/budget", "response", payload=io.BytesIO(page), http_headers=headers
        )
        writer.write_record(record)
    (task,) = discover([str(tmp_path)])
    ((article_id, entry),) = list(read_file(task, settings=Settings()))
    assert task.kind == "warc" and article_id == 1
    assert isinstance(entry, Item) and entry.key == "https://ville.example/budget"
    assert entry.raw is not None and entry.raw.data == page


def test_the_workers_python_follows_the_setting_then_the_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import sys

    from veille.batch.session import set_worker_python

    monkeypatch.delenv("PYSPARK_PYTHON", raising=False)
    set_worker_python("local[2]", {})
    assert os.environ["PYSPARK_PYTHON"] == sys.executable
    set_worker_python("local[2]", {})  # a value already there is kept
    monkeypatch.setenv("PYSPARK_PYTHON", "/opt/py/bin/python")
    set_worker_python("local[2]", {})
    assert os.environ["PYSPARK_PYTHON"] == "/opt/py/bin/python"
    set_worker_python("yarn", {"spark.pyspark.python": "./env/bin/python"})  # the setting wins
    assert os.environ["PYSPARK_PYTHON"] == "./env/bin/python"
    monkeypatch.delenv("PYSPARK_PYTHON")
    set_worker_python("yarn", {})  # a cluster's default is the cluster's business
    assert "PYSPARK_PYTHON" not in os.environ


def test_local_masters_give_their_cores() -> None:
    import os

    from veille.batch.session import local_conf, local_cores

    assert [local_cores(m) for m in ("local", "local[2]", "local[3,2]", "local[x]")] == [1, 2, 3, 1]
    assert local_cores("local[*]") == (os.cpu_count() or 1)
    assert local_conf(scratch="/tmp/x", cores=3)["spark.sql.shuffle.partitions"] == "3"
