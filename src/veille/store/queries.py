"""Read-side queries: store summary, full-text search, claims across the corpus.

All take a read connection (``store.read()``) and work the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from veille.store.claim_corpus import ClaimEchoItem, ClaimVerdictItem, corpus_status
from veille.store.records import ActorRow, ClaimRow, EventRow
from veille.store.schema import ArticleRow, ClaimCluster, EventCluster, IngestRun

_FTS_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ClaimSummary:
    id: int
    text: str
    status: str
    contradiction: bool
    num_articles: int
    num_sources: int
    by_status: dict[str, list[str]]
    asserted_by: list[str]
    chain: list[str] = field(default_factory=list)  # origin first
    verdicts: list[ClaimVerdictItem] = field(default_factory=list)  # who denied / confirmed, where
    echoes: list[ClaimEchoItem] = field(default_factory=list)  # outlets repeating it as fact


@dataclass(frozen=True)
class StoreSummary:
    articles: int
    languages: dict[str, int]
    outlets: int
    duplicate_groups: int
    duplicates: int  # articles that are a copy of a canonical one
    events: int
    event_clusters: int
    events_by_root: dict[str, int]
    top_actors: list[tuple[str, str | None, int]]  # name, code, mentions
    claims: list[ClaimSummary]
    last_run: dict[str, Any] | None


def claim_summaries(conn: Connection, *, limit: int | None = None) -> list[ClaimSummary]:
    """Claims across the corpus, contradictions first, then the most reported."""
    query = select(ClaimCluster).order_by(
        ClaimCluster.contradiction.desc(), ClaimCluster.num_sources.desc(), ClaimCluster.id
    )
    if limit is not None:
        query = query.limit(limit)
    clusters = Session(bind=conn).scalars(query).all()
    status = corpus_status(conn, [c.id for c in clusters])
    return [
        ClaimSummary(
            id=c.id,
            text=c.text,
            status=c.status,
            contradiction=c.contradiction,
            num_articles=c.num_articles,
            num_sources=c.num_sources,
            by_status={k: list(v) for k, v in c.by_status.items()},
            asserted_by=list(c.asserted_by),
            chain=status[c.id].chain,
            verdicts=status[c.id].verdicts,
            echoes=status[c.id].echoes,
        )
        for c in clusters
    ]


def summary(conn: Connection, *, top: int = 10) -> StoreSummary:
    articles = conn.execute(select(func.count()).select_from(ArticleRow)).scalar_one()
    languages = dict(
        conn.execute(select(ArticleRow.language, func.count()).group_by(ArticleRow.language)).all()
    )
    outlets = conn.execute(select(func.count(func.distinct(ArticleRow.outlet)))).scalar_one()
    groups = conn.execute(
        select(func.count(func.distinct(ArticleRow.dedup_group))).where(ArticleRow.dedup_group.is_not(None))
    ).scalar_one()
    copies = conn.execute(
        select(func.count()).select_from(ArticleRow).where(ArticleRow.is_canonical.is_(False))
    ).scalar_one()
    by_root = conn.execute(
        select(EventRow.root_code, func.count()).group_by(EventRow.root_code).order_by(EventRow.root_code)
    )
    mentions = func.count().label("n")
    actors = conn.execute(
        select(ActorRow.name, ActorRow.code, mentions)
        .group_by(ActorRow.name, ActorRow.code)
        .order_by(mentions.desc(), ActorRow.name)
        .limit(top)
    )
    run = Session(bind=conn).scalars(select(IngestRun).order_by(IngestRun.id.desc()).limit(1)).first()
    last_run = None
    if run is not None:
        last_run = {
            "id": run.id,
            "status": run.status,
            "new": run.n_new,
            "unchanged": run.n_unchanged,
            "updated": run.n_updated,
            "failed": run.n_failed,
        }
    return StoreSummary(
        articles=articles,
        languages={str(k): v for k, v in languages.items()},
        outlets=outlets,
        duplicate_groups=groups,
        duplicates=copies,
        events=conn.execute(select(func.count()).select_from(EventRow)).scalar_one(),
        event_clusters=conn.execute(select(func.count()).select_from(EventCluster)).scalar_one(),
        events_by_root={str(root): int(n) for root, n in by_root},
        top_actors=[(name, code, n) for name, code, n in actors],
        claims=claim_summaries(conn, limit=top),
        last_run=last_run,
    )


def search(conn: Connection, query: str, *, limit: int = 20) -> list[tuple[int, str | None]]:
    """Articles matching the words of ``query`` (all of them), best first: ``(id, title)`` pairs."""
    words = _FTS_WORD.findall(query)
    if not words:
        return []
    if conn.dialect.name == "sqlite":
        match = " ".join(f'"{w}"' for w in words)
        rows = conn.execute(
            text("SELECT rowid, title FROM articles_fts WHERE articles_fts MATCH :q ORDER BY rank LIMIT :n"),
            {"q": match, "n": limit},
        )
        return [(int(r[0]), r[1]) for r in rows]
    phrase = " ".join(words)
    rows = conn.execute(
        text(
            "SELECT id, title FROM articles, "
            "websearch_to_tsquery(CASE language WHEN 'fr' THEN 'french' WHEN 'en' THEN 'english' "
            "ELSE 'simple' END::regconfig, :q) AS q "
            "WHERE search_vector @@ q ORDER BY ts_rank(search_vector, q) DESC, id LIMIT :n"
        ),
        {"q": phrase, "n": limit},
    )
    return [(int(r[0]), r[1]) for r in rows]


def claims_of_article(conn: Connection, article_id: int) -> list[tuple[str, str, int | None]]:
    """``(text, status in this article, claim cluster id)`` of one article's claims."""
    rows = conn.execute(
        select(ClaimRow.text, ClaimRow.status, ClaimRow.cluster_id)
        .where(ClaimRow.article_id == article_id)
        .order_by(ClaimRow.position)
    )
    return [(t, s, c) for t, s, c in rows]
