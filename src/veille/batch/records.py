"""One analysed article → one staging row (article fields plus an array per child table).

The child rows come from the store's pure row builders (``veille.store.rows``), so the Parquet
tables of ``veille batch`` and of ``veille export --format parquet`` have the same columns and the
same derived values (GDELT sentence ids, root-event flags, Goldstein scores…). Values are coerced
to the declared Spark types, so a record gaining a field or an int where a float is declared never
fails the job.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from pyspark.sql.types import ArrayType, BooleanType, DataType, DoubleType, IntegerType, LongType, StructType

from veille.batch.inputs import MAX_ROWS, ROW_BITS
from veille.batch.schemas import CHILD_SCHEMAS, STAGING_SCHEMA
from veille.ingest.raw import RawDocument
from veille.models import Analysis
from veille.store import dedup
from veille.store.linking import _tokens as claim_tokens
from veille.store.rows import (
    TextIndex,
    claim_mention,
    claim_row,
    event_mention,
    event_row,
    simple_rows,
)
from veille.store.write import article_fields, content_hash


def _coerce(value: Any, kind: DataType) -> Any:
    if value is None:
        return None
    if isinstance(kind, DoubleType):
        return float(value)
    if isinstance(kind, IntegerType | LongType):
        return int(value)
    if isinstance(kind, BooleanType):
        return bool(value)
    if isinstance(kind, ArrayType):
        return [_coerce(v, kind.elementType) for v in value]
    return value


def conform(row: Mapping[str, Any], schema: StructType) -> tuple[Any, ...]:
    """The row's values in schema order, coerced to the schema's types (unknown keys dropped)."""
    return tuple(_coerce(row.get(field.name), field.dataType) for field in schema.fields)


def row_id(article_id: int, position: int) -> int:
    return (article_id << ROW_BITS) | position


class TooManyRecords(ValueError):
    """An article with more events or claims than a row id can number (``MAX_ROWS``)."""


def _children(
    analysis: Analysis, article_id: int, published: dt.date | None
) -> dict[str, list[dict[str, Any]]]:
    if len(analysis.events) > MAX_ROWS or len(analysis.claims) > MAX_ROWS:
        raise TooManyRecords(f"more than {MAX_ROWS} events or claims in one article")
    text = analysis.article.text
    index = TextIndex(text)
    children = simple_rows(analysis)
    claim_ids = {c.id: row_id(article_id, i) for i, c in enumerate(analysis.claims)}
    children["claims"] = [
        claim_row(c, i) | {"claim_id": claim_ids[c.id], "tokens": sorted(claim_tokens(c.text))}
        for i, c in enumerate(analysis.claims)
    ]
    children["claim_evidence"] = [
        {
            "claim_id": claim_ids[c.id],
            "position": i,
            "start": e.start,
            "end": e.end,
            "text": e.text,
            "role": e.role,
        }
        for c in analysis.claims
        for i, e in enumerate(c.evidence)
    ]
    events = [
        event_row(e, i, published=published, index=index)
        | {"event_id": row_id(article_id, i), "claim_id": claim_ids.get(e.claim_id or "")}
        for i, e in enumerate(analysis.events)
    ]
    children["events"] = events
    children["mentions"] = [event_mention(row, row["event_id"], doc_len=len(text)) for row in events] + [
        claim_mention(c, claim_ids[c.id], index=index, doc_len=len(text)) for c in analysis.claims
    ]
    return children


def article_row(article_id: int, key: str, raw: RawDocument, analysis: Analysis) -> tuple[Any, ...]:
    """The staging row of an analysed article (see :data:`~veille.batch.schemas.STAGING_SCHEMA`)."""
    fields = article_fields(analysis, url=raw.url, meta=raw.meta)
    published = fields["published"]
    sig = dedup.signature(analysis.article.text)
    row: dict[str, Any] = {
        **fields,
        "article_id": article_id,
        "source": raw.source,
        "source_key": key,
        "content_hash": content_hash(raw.data if raw.data is not None else raw.text or ""),
        "pub_date": published.isoformat() if published else None,
        "published_evidence": json.dumps(
            [e.model_dump() for e in analysis.article.published.evidence], ensure_ascii=False
        ),
        "analysis": json.dumps(fields["analysis"], ensure_ascii=False),
        "minhash": [int(v) for v in sig] if sig is not None else None,
        "bands": dedup.band_hashes(sig) if sig is not None else None,
    }
    for name, rows in _children(analysis, article_id, published).items():
        if name in CHILD_SCHEMAS:
            row[name] = [conform(r, CHILD_SCHEMAS[name]) for r in rows]
    return conform_staging(row)


def error_row(article_id: int, source: str, key: str | None, *, stage: str, reason: str) -> tuple[Any, ...]:
    """The staging row of an input that could not be read or analysed."""
    return conform_staging(
        {"article_id": article_id, "source": source, "source_key": key, "stage": stage, "error": reason}
    )


def conform_staging(row: Mapping[str, Any]) -> tuple[Any, ...]:
    values = []
    for field in STAGING_SCHEMA.fields:
        value = row.get(field.name)
        if isinstance(field.dataType, ArrayType) and isinstance(field.dataType.elementType, StructType):
            values.append(value)  # already conformed tuples
        else:
            values.append(_coerce(value, field.dataType))
    return tuple(values)


__all__ = ["TooManyRecords", "article_row", "conform", "error_row", "row_id"]
