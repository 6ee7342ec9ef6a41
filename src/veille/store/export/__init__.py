"""Write the store out: GDELT 2.0 Events / Mentions TSV, PLOVER JSON, JSONL of analyses, Parquet.

Exports read through one connection (one consistent snapshot on PostgreSQL; on SQLite, a read
transaction under WAL) and never block an ingest running at the same time. Links are refreshed
first when articles changed since the last linking.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sqlalchemy import Connection

from veille.errors import InputError
from veille.store.core import Store
from veille.store.export.gdelt import event_columns, mention_columns, write_events, write_mentions
from veille.store.export.plover import write_plover
from veille.store.export.tables import PARQUET_TABLES, write_jsonl, write_parquet

FORMATS = ("gdelt-events", "gdelt-mentions", "plover", "jsonl", "parquet")

_TEXT_WRITERS: dict[str, Callable[[Connection, TextIO], int]] = {
    "gdelt-events": write_events,
    "gdelt-mentions": write_mentions,
    "plover": write_plover,
    "jsonl": write_jsonl,
}


def export(store: Store, fmt: str, path: Path) -> int:
    """Write the store in ``fmt`` to ``path`` (a folder for parquet); return the number of rows."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")
    store.relink()
    if fmt == "parquet":
        if path.exists() and not path.is_dir():
            raise InputError("parquet export needs a folder, and this is a file", source=str(path))
        with store.read() as conn, conn.begin():
            return sum(write_parquet(conn, path).values())
    if path.is_dir():
        raise InputError("is a folder; give a file name", source=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target and rename: a failed export never leaves half a file behind.
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out, store.read() as conn, conn.begin():
            count = _TEXT_WRITERS[fmt](conn, out)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return count


__all__ = ["FORMATS", "PARQUET_TABLES", "event_columns", "export", "mention_columns"]
