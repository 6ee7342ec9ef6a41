"""Schemas of claims across articles: clusters, their mentions, the provenance graph, and the claim's
status across the corpus (chain, who denied or confirmed it, which outlets repeated it as fact)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

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


class ClaimVerdictOut(Schema):
    status: str  # denied | confirmed
    by: str | None
    outlet: str | None
    article_id: int
    published: dt.date | None


class ClaimEchoOut(Schema):
    """An outlet stating the claim as fact in its own voice (no attribution): the sentence and offsets."""

    article_id: int
    article_title: str | None
    outlet: str | None
    published: dt.date | None
    seen: dt.datetime
    claim_id: int
    start: int
    end: int
    text: str
    similarity: float
    basis: str
    event_id: int | None


class ClaimDetailOut(Schema):
    cluster: ClaimClusterOut
    mentions: list[ClaimMentionOut]
    graph: ProvenanceGraphOut
    chain: list[str] = Field(default_factory=list, description="origin first, across the corpus")
    verdicts: list[ClaimVerdictOut] = Field(default_factory=list, description="who denied or confirmed it")
    echoes: list[ClaimEchoOut] = Field(default_factory=list, description="outlets repeating it as fact")
