"""Schemas of claims across articles: clusters, their mentions, and the provenance graph."""

from __future__ import annotations

import datetime as dt

from veille.api.schemas.articles import ClaimEvidenceOut
from veille.api.schemas.common import Schema


class ClaimClusterOut(Schema):
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


class ClaimMentionOut(Schema):
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
    evidence: list[ClaimEvidenceOut]


class GraphNodeOut(Schema):
    id: str
    label: str
    kind: str
    layer: int
    status: str | None
    article_id: int | None
    published: dt.date | None


class GraphEdgeOut(Schema):
    source: str
    target: str
    kind: str


class ProvenanceGraphOut(Schema):
    nodes: list[GraphNodeOut]
    edges: list[GraphEdgeOut]


class ClaimDetailOut(Schema):
    cluster: ClaimClusterOut
    mentions: list[ClaimMentionOut]
    graph: ProvenanceGraphOut
