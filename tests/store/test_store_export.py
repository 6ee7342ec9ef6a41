"""Exports: GDELT 2.0 Events (61 columns) and Mentions (16), PLOVER JSON, JSONL, Parquet."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from store_fakes import POMPEO, rich_analysis

from veille.errors import InputError
from veille.models import Analysis
from veille.store import SourceInfo, Store, content_hash
from veille.store.export import PARQUET_TABLES, event_columns, export, mention_columns


@pytest.fixture
def filled(store: Store) -> Store:
    for key, outlet, day in (("a", "Wire A", "2020-02-01"), ("b", "Paper B", "2020-02-02")):
        a = rich_analysis(
            POMPEO, url=f"https://{key}.example/story", outlet=outlet, published=day, language="fr"
        )
        store.write(a, SourceInfo(key=key, content_hash=content_hash(key)))
    return store


def test_gdelt_events_61_columns_readable_by_pandas(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.tsv"
    assert export(filled, "gdelt-events", path) == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and len(lines[0].split("\t")) == 61
    cols = list(event_columns())
    assert len(cols) == 61 and cols[0] == "GLOBALEVENTID" and cols[-1] == "SOURCEURL"
    frame = pd.read_csv(
        path,
        sep="\t",
        header=None,
        names=cols,
        dtype={"EventCode": str, "EventRootCode": str, "EventBaseCode": str},
    )
    row = frame.iloc[0]
    assert row["SQLDATE"] == 20200201 and row["MonthYear"] == 202002 and row["Year"] == 2020
    assert 2020.08 < row["FractionDate"] < 2020.09
    assert (row["EventCode"], row["EventBaseCode"], row["EventRootCode"]) == ("042", "042", "04")
    assert (row["Actor1Code"], row["Actor1CountryCode"], row["Actor1Type1Code"]) == ("USAGOV", "USA", "GOV")
    assert row["Actor1Name"] == "POMPEO"
    assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == (2, 2, 2)
    assert row["QuadClass"] == 1 and row["GoldsteinScale"] == 1.9 and row["IsRootEvent"] == 1
    assert row["ActionGeo_Type"] == 4 and row["ActionGeo_CountryCode"] == "BO"  # FIPS code of Belarus
    assert row["ActionGeo_FullName"].startswith("Minsk") and abs(row["ActionGeo_Lat"] - 53.9) < 1e-6
    assert str(row["DATEADDED"]).startswith("20200201") and len(str(row["DATEADDED"])) == 14
    assert row["SOURCEURL"] == "https://a.example/story"


def _statements_of_events_export(store: Store, path: Path) -> int:
    """Statements of one GDELT events export that read the places table (a connection's own set-up
    statements, which PostgreSQL issues on a new connection, are not counted)."""
    from sqlalchemy import event

    seen: list[str] = []

    def count(*args: object) -> None:
        if "places" in str(args[2]):
            seen.append(str(args[2]))

    event.listen(store.engines.read, "before_cursor_execute", count)
    try:
        export(store, "gdelt-events", path)
    finally:
        event.remove(store.engines.read, "before_cursor_execute", count)
    return len(seen)


def test_gdelt_events_take_each_place_from_their_article_in_one_query(store: Store, tmp_path: Path) -> None:
    """One query for every event, not one more per event; each event's Geo columns come from the
    first place record of its own article with the event's place name."""
    days = ("2020-03-01", "2020-04-01", "2020-05-01")  # over a day apart: one event cluster each
    kinds = ("city", "country", "admin1")
    for n, (day, kind) in enumerate(zip(days, kinds, strict=True)):
        a = rich_analysis(POMPEO, url=f"https://{n}.example/x", outlet=f"Paper {n}", published=day)
        place = a.places[0].model_copy(update={"kind": kind})
        events = (a.events[0].model_copy(update={"date": day}),)
        store.write(
            a.model_copy(
                update={"places": (place, place.model_copy(update={"kind": "city"})), "events": events}
            ),
            SourceInfo(key=str(n), content_hash=content_hash(str(n))),
        )
        # One statement for 1, 2 and 3 events (it was one more per event).
        assert _statements_of_events_export(store, tmp_path / f"events{n}.tsv") == 1
    frame = pd.read_csv(tmp_path / "events2.tsv", sep="\t", header=None, names=list(event_columns()))
    # GDELT's Geo types: 1 country, 3 US city / 4 world city, 2 US state / 5 world ADM1.
    assert [int(t) for t in frame["ActionGeo_Type"]] == [4, 1, 5]
    assert list(frame["SQLDATE"]) == [20200301, 20200401, 20200501]


def test_gdelt_mentions_16_columns(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "mentions.tsv"
    assert export(filled, "gdelt-mentions", path) == 2
    cols = list(mention_columns())
    frame = pd.read_csv(path, sep="\t", header=None, names=cols, keep_default_na=False)
    assert len(cols) == 16 and frame.shape == (2, 16)
    assert set(frame["MentionIdentifier"]) == {"https://a.example/story", "https://b.example/story"}
    assert set(frame["MentionType"]) == {1} and set(frame["MentionDocTranslationInfo"]) == {"srclc:fra"}
    assert (
        frame["GLOBALEVENTID"].nunique() == 1 and (frame["ActionCharOffset"] == POMPEO.index("visited")).all()
    )
    assert frame["Confidence"].between(10, 100).all() and (frame["MentionDocLen"] == len(POMPEO)).all()


def test_plover_json(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "plover.json"
    assert export(filled, "plover", path) == 1
    (record,) = json.loads(path.read_text(encoding="utf-8"))
    assert record["event_type"] == "CONSULT" and record["mode"] == "visit"
    assert (record["actor_country"], record["date"], record["num_articles"]) == ("USA", "2020-02-01", 2)
    assert record["location"]["country"] == "BY"


def test_jsonl_round_trips_the_analyses(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    assert export(filled, "jsonl", path) == 2
    analyses = [Analysis.model_validate(json.loads(line)) for line in path.read_text("utf-8").splitlines()]
    assert analyses[0] == rich_analysis(
        POMPEO, url="https://a.example/story", outlet="Wire A", published="2020-02-01", language="fr"
    )


def test_parquet_tables(filled: Store, tmp_path: Path) -> None:
    folder = tmp_path / "parquet"
    export(filled, "parquet", folder)
    assert sorted(p.stem for p in folder.iterdir()) == sorted(PARQUET_TABLES)
    events = pq.read_table(folder / "events.parquet").to_pylist()
    assert [e["cameo"] for e in events] == ["042", "042"] and events[0]["cluster_id"] == events[1][
        "cluster_id"
    ]
    articles = pq.read_table(folder / "articles.parquet")
    assert "minhash" not in articles.column_names and articles.num_rows == 2
    assert pq.read_table(folder / "claim_clusters.parquet").num_rows == 1


def test_export_errors(filled: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown export format"):
        export(filled, "csv", tmp_path / "x")
    with pytest.raises(InputError, match="folder"):
        export(filled, "jsonl", tmp_path)
    assert [
        p.name for p in tmp_path.iterdir() if not p.name.startswith("store.sqlite")
    ] == []  # nothing half-written
