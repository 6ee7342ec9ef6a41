"""Full-text parts of the article search (SQLite FTS5 ``articles_fts``, PostgreSQL ``search_vector``).

Both indexes are created by migration 0002; each query word is required and quoted, so that user
input never becomes full-text query syntax.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Float, Integer, text

from veille.store.prepared import fetch
from veille.store.read_common import COUNT_CAP


def fts_ranked(conn: Connection, terms: list[str]) -> tuple[Any, ColumnElement[Any]]:
    """A selectable of matching ``(id, score)`` and the score to order by (best first)."""
    if conn.dialect.name == "sqlite":
        match = " ".join(f'"{w}"' for w in terms)  # each word quoted: FTS5 syntax stays inert
        fts = (
            text("SELECT rowid AS id, rank AS score FROM articles_fts WHERE articles_fts MATCH :match")
            .bindparams(match=match)
            .columns(id=Integer, score=Float)
            .subquery("fts")
        )
        return fts, fts.c.score.asc()
    config = "CASE a.language WHEN 'fr' THEN 'french' WHEN 'en' THEN 'english' ELSE 'simple' END::regconfig"
    fts = (
        text(
            f"SELECT a.id AS id, ts_rank(a.search_vector, websearch_to_tsquery({config}, :match)) AS score "
            f"FROM articles AS a WHERE a.search_vector @@ websearch_to_tsquery({config}, :match)"
        )
        .bindparams(match=" ".join(terms))
        .columns(id=Integer, score=Float)
        .subquery("fts")
    )
    return fts, fts.c.score.desc()


_FTS_PAGE = text(
    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match"
    " ORDER BY rank, rowid LIMIT :limit OFFSET :offset"
)
_FTS_COUNT = text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :match")


def fts_page(conn: Connection, terms: list[str], *, limit: int, offset: int) -> tuple[list[int], int, bool]:
    """SQLite, words and no filter: the page straight from the full-text table, which ranks inside
    FTS5 (half the time of joining every match to ``articles``), and an exact count of the matches
    (cheap: no ranking). The triggers of migration 0002 keep one FTS row per article."""
    match = " ".join(f'"{w}"' for w in terms)  # each word quoted: FTS5 syntax stays inert
    ids = [int(i) for (i,) in fetch(conn, _FTS_PAGE, {"match": match, "limit": limit, "offset": offset})]
    ((count,),) = fetch(conn, _FTS_COUNT, {"match": match})
    found = int(count)
    if ids:
        return ids, found, True
    return ids, min(found, COUNT_CAP), found <= COUNT_CAP  # as capped_count says past the end
