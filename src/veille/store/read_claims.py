"""Read-side queries on claims across articles: the list of claim clusters, one claim's mentions and
its provenance graph.

A claim cluster (built by the linker) is one claim as told by several articles and outlets. Its
provenance graph reads each mention's attribution chain (origin first: ``Telegram → certains médias
→ Avia.pro``) up to the article that carries it, then adds who denied or confirmed it there, and
the outlets that repeated it as fact (echoes, with the sentence as evidence; see
:mod:`veille.store.claim_corpus`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Literal

from sqlalchemy import Connection, func, select

from veille.store.claim_corpus import ClaimEchoItem, ClaimVerdictItem, corpus_status
from veille.store.read_articles import CLAIM_EVIDENCE, ClaimEvidenceItem
from veille.store.read_common import Page, capped_count, like_escape
from veille.store.records import ClaimRow
from veille.store.schema import ArticleRow, ClaimCluster

NodeKind = Literal["origin", "relay", "article", "denier", "confirmer", "asserter"]
EdgeKind = Literal["relays", "publishes", "denies", "confirms"]


@dataclass(frozen=True, kw_only=True)
class ClaimClusterItem:
    id: int
    text: str
    status: str
    contradiction: bool
    num_mentions: int
    num_articles: int
    num_sources: int
    first_seen: dt.datetime
    first_article_id: int
    by_status: dict[str, list[str]]
    asserted_by: list[str]


@dataclass(frozen=True, kw_only=True)
class ClaimMention:
    claim_id: int
    article_id: int
    article_title: str | None
    outlet: str | None
    published: dt.date | None
    text: str
    status: str
    origin: str | None
    chain: list[str]
    by: str | None
    evidence: list[ClaimEvidenceItem] = field(default_factory=list)


@dataclass(frozen=True)
class GraphNode:
    id: str
    label: str
    kind: NodeKind
    layer: int
    status: str | None = None  # the claim's status in that article (article nodes)
    article_id: int | None = None
    published: dt.date | None = None  # the article's publication day (article nodes)


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    kind: EdgeKind


@dataclass(frozen=True)
class ProvenanceGraph:
    nodes: list[GraphNode]
    edges: list[GraphEdge]


@dataclass(frozen=True, kw_only=True)
class ClaimDetail:
    cluster: ClaimClusterItem
    mentions: list[ClaimMention]
    graph: ProvenanceGraph
    chain: list[str] = field(default_factory=list)  # origin first, across the corpus
    verdicts: list[ClaimVerdictItem] = field(default_factory=list)  # who denied / confirmed, where
    echoes: list[ClaimEchoItem] = field(default_factory=list)  # repeated as fact, with the sentence


def _item(c: Any) -> ClaimClusterItem:
    return ClaimClusterItem(
        id=c.id,
        text=c.text,
        status=c.status,
        contradiction=bool(c.contradiction),
        num_mentions=c.num_mentions,
        num_articles=c.num_articles,
        num_sources=c.num_sources,
        first_seen=c.first_seen,
        first_article_id=c.first_article_id,
        by_status={str(k): [str(o) for o in v] for k, v in (c.by_status or {}).items()},
        asserted_by=[str(o) for o in c.asserted_by or []],
    )


def list_claims(
    conn: Connection,
    *,
    status: str | None = None,
    q: str | None = None,
    contradiction: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ClaimClusterItem]:
    """Claim clusters, contradictions first, then the most widely reported."""
    where = []
    if status:
        where.append(ClaimCluster.status == status)
    if contradiction is not None:
        where.append(ClaimCluster.contradiction.is_(contradiction))
    if q and q.strip():
        where.append(func.lower(ClaimCluster.text).like(f"%{like_escape(q.strip().lower())}%", escape="\\"))
    total, exact = capped_count(conn, select(ClaimCluster.id).where(*where))
    rows = conn.execute(
        select(ClaimCluster.__table__)
        .where(*where)
        .order_by(
            ClaimCluster.contradiction.desc(),
            ClaimCluster.num_sources.desc(),
            ClaimCluster.num_mentions.desc(),
            ClaimCluster.id,
        )
        .limit(limit)
        .offset(offset)
    )
    return Page([_item(r) for r in rows], total, exact, limit, offset)


def _mentions(conn: Connection, cluster_id: int) -> list[ClaimMention]:
    rows = conn.execute(
        select(
            ClaimRow.id,
            ClaimRow.article_id,
            ArticleRow.title,
            ArticleRow.outlet,
            ArticleRow.published,
            ClaimRow.text,
            ClaimRow.status,
            ClaimRow.origin,
            ClaimRow.chain,
            ClaimRow.by,
        )
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .where(ClaimRow.cluster_id == cluster_id)
        .order_by(ArticleRow.published, ClaimRow.article_id, ClaimRow.position)
    ).all()
    evidence: dict[int, list[ClaimEvidenceItem]] = {r.id: [] for r in rows}
    if rows:
        for ev in conn.execute(CLAIM_EVIDENCE, {"claim_ids": list(evidence)}):
            evidence[ev.claim_id].append(ClaimEvidenceItem(ev.start, ev.end, ev.text, ev.role))
    return [
        ClaimMention(
            claim_id=r.id,
            article_id=r.article_id,
            article_title=r.title,
            outlet=r.outlet,
            published=r.published,
            text=r.text,
            status=r.status,
            origin=r.origin,
            chain=[str(c) for c in r.chain or []],
            by=r.by,
            evidence=evidence[r.id],
        )
        for r in rows
    ]


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def provenance_graph(
    mentions: list[ClaimMention],
    *,
    asserted_by: Sequence[str] = (),
    echoes: Sequence[ClaimEchoItem] = (),
) -> ProvenanceGraph:
    """Origin → relays → articles (one node per article, with the claim's status there) ← deniers.

    A source named in several chains is one node; its column is the furthest position it holds in
    any chain, so that edges always point right.
    """
    chains: list[tuple[ClaimMention, list[str]]] = []
    for m in mentions:
        chain = [c for c in m.chain if c.strip()] or ([m.origin] if m.origin else [])
        if chain and m.outlet and _key(chain[-1]) == _key(m.outlet):
            chain = chain[:-1]  # the article's own outlet is the article node
        chains.append((m, chain))
    depth = max((len(c) for _, c in chains), default=0)
    layer: dict[str, int] = {}
    label: dict[str, str] = {}
    kind: dict[str, NodeKind] = {}
    order: list[str] = []
    edges: list[GraphEdge] = []
    seen_edges: set[tuple[str, str, str]] = set()

    def add_node(node_id: str, text: str, node_kind: NodeKind, column: int) -> None:
        if node_id not in layer:
            order.append(node_id)
            label[node_id], kind[node_id], layer[node_id] = text, node_kind, column
        else:
            layer[node_id] = max(layer[node_id], column)

    def add_edge(source: str, target: str, edge_kind: EdgeKind) -> None:
        if (source, target, edge_kind) not in seen_edges and source != target:
            seen_edges.add((source, target, edge_kind))
            edges.append(GraphEdge(source, target, edge_kind))

    articles: list[GraphNode] = []
    for m, chain in chains:
        ids = []
        for position, name in enumerate(chain):
            node_id = "s:" + _key(name)
            add_node(node_id, name, "origin" if position == 0 else "relay", position)
            ids.append(node_id)
        article_node = f"a:{m.article_id}"
        if all(a.id != article_node for a in articles):
            name = m.outlet or f"article {m.article_id}"
            articles.append(
                GraphNode(article_node, name, "article", depth, m.status, m.article_id, m.published)
            )
        for source, target in pairwise(ids):
            add_edge(source, target, "relays")
        if ids:
            add_edge(ids[-1], article_node, "publishes")
        if m.by and m.status in {"denied", "confirmed"}:
            node_id = "s:" + _key(m.by)
            add_node(node_id, m.by, "denier" if m.status == "denied" else "confirmer", depth + 1)
            add_edge(node_id, article_node, "denies" if m.status == "denied" else "confirms")
    # A source also named in a chain keeps its chain column: its denial edge still points right.
    nodes = [GraphNode(n, label[n], kind[n], layer[n]) for n in order]
    known_outlets = {_key(m.outlet) for m in mentions if m.outlet}
    first_echo = {_key(e.outlet): e for e in reversed(echoes) if e.outlet}
    for outlet in asserted_by:
        if _key(outlet) not in known_outlets:
            echo = first_echo.get(_key(outlet))
            article_id, published = (echo.article_id, echo.published) if echo else (None, None)
            nodes.append(
                GraphNode("o:" + _key(outlet), outlet, "asserter", depth, None, article_id, published)
            )
    return ProvenanceGraph(nodes + articles, edges)


def claim_detail(conn: Connection, cluster_id: int) -> ClaimDetail | None:
    row = conn.execute(select(ClaimCluster.__table__).where(ClaimCluster.id == cluster_id)).first()
    if row is None:
        return None
    cluster = _item(row)
    mentions = _mentions(conn, cluster_id)
    status = corpus_status(conn, [cluster_id])[cluster_id]
    graph = provenance_graph(mentions, asserted_by=cluster.asserted_by, echoes=status.echoes)
    return ClaimDetail(
        cluster=cluster,
        mentions=mentions,
        graph=graph,
        chain=status.chain,
        verdicts=status.verdicts,
        echoes=status.echoes,
    )


def cluster_of_claim(conn: Connection, claim_id: int) -> int | None:
    """The cluster of one article's claim (its row id), None before linking."""
    value = conn.execute(select(ClaimRow.cluster_id).where(ClaimRow.id == claim_id)).scalar()
    return int(value) if value is not None else None
