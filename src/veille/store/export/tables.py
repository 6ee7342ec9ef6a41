"""JSONL of analyses (the ``veille analyze`` contract, one article per line) and Parquet tables.

Parquet: one file per table in the output folder (``articles.parquet``, ``events.parquet``, …),
written in row groups so memory stays flat whatever the size of the store. JSON columns become
JSON strings; binary columns (MinHash signatures) are left out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import JSON, Boolean, Connection, Date, DateTime, Float, Integer, LargeBinary, Table, select

from veille.store.schema import ArticleRow, Base

PARQUET_TABLES = (
    "articles",
    "article_removed",
    "article_dates",
    "entities",
    "actors",
    "places",
    "events",
    "quotes",
    "claims",
    "claim_evidence",
    "mentions",
    "event_clusters",
    "claim_clusters",
    "near_duplicates",
    "ingest_runs",
    "ingest_failures",
)
_ROW_GROUP = 10_000
_SKIP_COLUMNS = {"articles": {"analysis"}}


def analyses(conn: Connection) -> Iterator[dict[str, Any]]:
    """Each stored article's analysis in its contract JSON form, in store order."""
    query = select(ArticleRow.analysis, ArticleRow.text).order_by(ArticleRow.id)
    for analysis, text in conn.execute(query):
        doc = dict(analysis)
        doc["article"] = dict(doc["article"]) | {"text": text}
        yield doc


def write_jsonl(conn: Connection, out: TextIO) -> int:
    count = 0
    for doc in analyses(conn):
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        count += 1
    return count


def _arrow_type(column: Any) -> pa.DataType | None:
    kind = column.type
    if isinstance(kind, LargeBinary):
        return None
    if isinstance(kind, Boolean):
        return pa.bool_()
    if isinstance(kind, Integer):
        return pa.int64()
    if isinstance(kind, Float):
        return pa.float64()
    if isinstance(kind, DateTime):
        return pa.timestamp("us")
    if isinstance(kind, Date):
        return pa.date32()
    return pa.string()


def _value(value: Any, column: Any) -> Any:
    if isinstance(column.type, JSON) and value is not None:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.datetime | dt.date | int | float | bool | str) or value is None:
        return value
    return str(value)


def write_table(conn: Connection, table: Table, path: Path) -> int:
    skip = _SKIP_COLUMNS.get(table.name, set())
    columns = [c for c in table.columns if c.name not in skip and _arrow_type(c) is not None]
    schema = pa.schema([pa.field(c.name, _arrow_type(c)) for c in columns])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        result = conn.execution_options(yield_per=_ROW_GROUP).execute(
            select(*columns).order_by(*table.primary_key)
        )
        for rows in result.partitions(_ROW_GROUP):
            data = {c.name: [_value(row[i], c) for row in rows] for i, c in enumerate(columns)}
            writer.write_table(pa.table(data, schema=schema))
            count += len(rows)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def write_parquet(conn: Connection, folder: Path) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    tables = Base.metadata.tables
    return {name: write_table(conn, tables[name], folder / f"{name}.parquet") for name in PARQUET_TABLES}
