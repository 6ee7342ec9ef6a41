"""A claim's status across the corpus, told the way a reader asks for it: where it comes from (the
attribution chain, origin first), who denied or confirmed it (and in which outlet), and which
outlets repeated it as fact (the echoes found by :mod:`veille.store.claim_echoes`, with the
sentence and its offsets as evidence).

Read side only; shared by the API (:mod:`veille.store.read_claims`) and the store summary of
``veille demo`` / ``veille ingest`` (:mod:`veille.store.queries`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from veille.store.claim_echo_tables import AssertedStatement, ClaimEcho
from veille.store.records import ClaimRow
from veille.store.schema import ArticleRow


@dataclass(frozen=True, kw_only=True)
class ClaimVerdictItem:
    """One article saying the claim is false (``denied``) or true (``confirmed``), and who says so."""

    status: str
    by: str | None
    outlet: str | None
    article_id: int
    published: dt.date | None


@dataclass(frozen=True, kw_only=True)
class ClaimEchoItem:
    """One outlet stating the claim as fact in its own voice: the sentence, where it is, when."""

    article_id: int
    article_title: str | None
    outlet: str | None
    published: dt.date | None
    seen: dt.datetime
    claim_id: int  # the claim (row id) it repeats
    start: int
    end: int
    text: str
    similarity: float
    basis: str  # text | event | text+event
    event_id: int | None


@dataclass(frozen=True, kw_only=True)
class ClaimCorpusStatus:
    chain: list[str] = field(default_factory=list)  # origin first: Telegram → certains médias → Avia.pro
    verdicts: list[ClaimVerdictItem] = field(default_factory=list)
    echoes: list[ClaimEchoItem] = field(default_factory=list)

    @property
    def repeated_by(self) -> list[str]:
        """Outlets that repeated the claim as fact, first seen first."""
        return list(dict.fromkeys(e.outlet or f"article {e.article_id}" for e in self.echoes))


def _chain(rows: Sequence[tuple[list[str], str | None]]) -> list[str]:
    """The longest chain told (it contains the shorter ones in practice), else the commonest origin."""
    chains = [[str(c) for c in chain if str(c).strip()] for chain, _ in rows]
    best = max(chains, key=len, default=[])
    if best:
        return best
    origins = Counter(origin for _, origin in rows if origin)
    return [origins.most_common(1)[0][0]] if origins else []


def corpus_status(conn: Connection, cluster_ids: Sequence[int]) -> dict[int, ClaimCorpusStatus]:
    """Chain, verdicts and echoes of each claim cluster in ``cluster_ids``."""
    ids = list(dict.fromkeys(cluster_ids))
    if not ids:
        return {}
    mentions = conn.execute(
        select(
            ClaimRow.cluster_id,
            ClaimRow.article_id,
            ClaimRow.chain,
            ClaimRow.origin,
            ClaimRow.status,
            ClaimRow.by,
            ArticleRow.outlet,
            ArticleRow.published,
        )
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .where(ClaimRow.cluster_id.in_(ids))
        .order_by(ArticleRow.published, ClaimRow.article_id, ClaimRow.position)
    ).all()
    chains: dict[int, list[tuple[list[str], str | None]]] = defaultdict(list)
    verdicts: dict[int, list[ClaimVerdictItem]] = defaultdict(list)
    for m in mentions:
        chains[m.cluster_id].append((list(m.chain or []), m.origin))
        if m.status in {"denied", "confirmed"}:
            item = ClaimVerdictItem(
                status=m.status, by=m.by, outlet=m.outlet, article_id=m.article_id, published=m.published
            )
            if item not in verdicts[m.cluster_id]:
                verdicts[m.cluster_id].append(item)
    echo_rows = conn.execute(
        select(
            ClaimRow.cluster_id,
            ClaimEcho.claim_id,
            ClaimEcho.article_id,
            ClaimEcho.similarity,
            ClaimEcho.basis,
            ClaimEcho.event_id,
            ClaimEcho.seen,
            AssertedStatement.id.label("statement_id"),
            AssertedStatement.start,
            AssertedStatement.end,
            AssertedStatement.text,
            ArticleRow.title,
            ArticleRow.outlet,
            ArticleRow.published,
        )
        .join(ClaimRow, ClaimRow.id == ClaimEcho.claim_id)
        .join(AssertedStatement, AssertedStatement.id == ClaimEcho.statement_id)
        .join(ArticleRow, ArticleRow.id == ClaimEcho.article_id)
        .where(ClaimRow.cluster_id.in_(ids))
        .order_by(ClaimEcho.seen, ClaimEcho.article_id, AssertedStatement.start, ClaimEcho.similarity.desc())
    ).all()
    echoes: dict[int, list[ClaimEchoItem]] = defaultdict(list)
    seen_statements: set[tuple[int, int]] = set()
    for e in echo_rows:
        if (e.cluster_id, e.statement_id) in seen_statements:
            continue  # one sentence repeating several phrasings of the claim: its best match only
        seen_statements.add((e.cluster_id, e.statement_id))
        echoes[e.cluster_id].append(
            ClaimEchoItem(
                article_id=e.article_id,
                article_title=e.title,
                outlet=e.outlet,
                published=e.published,
                seen=e.seen,
                claim_id=e.claim_id,
                start=e.start,
                end=e.end,
                text=e.text,
                similarity=float(e.similarity),
                basis=e.basis,
                event_id=e.event_id,
            )
        )
    return {
        cid: ClaimCorpusStatus(chain=_chain(chains[cid]), verdicts=verdicts[cid], echoes=echoes[cid])
        for cid in ids
    }
