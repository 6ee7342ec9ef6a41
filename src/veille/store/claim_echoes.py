"""Claim echoes: an outlet stating as fact, in its own voice, a claim that other articles report,
deny or confirm ("repeated as fact by Le Quotidien de l'Est").

Issue B's claims exist only where an article attributes something; an outlet that repeats the claim
as plain fact has no claim record, only a sentence (and maybe an asserted event). Each article's
asserted sentences (:mod:`veille.store.claim_echo_text`) are stored once with their content terms;
a sentence *echoes* a claim of another article when their terms agree like two claims do in
:mod:`veille.store.linking` (Jaccard ≥ 0.5, or the sentence holds ≥ 80 % of the claim's terms),
or, with fewer shared words, when an asserted event of the sentence has the base code and actors
of an event tied to the claim. A claim is compared through its text and its ``content`` evidence.

Incremental and idempotent: only articles never read or changed since (``echo_scans``) are read;
their sentences are compared with every stored claim, and their claims with every stored sentence.
An unchanged re-ingest reads nothing and changes nothing; a changed article's sentences and
echoes are replaced (its old claims' echoes go with them, by foreign key).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select

from veille.store.claim_echo_tables import AssertedStatement, ClaimEcho, EchoScan
from veille.store.claim_echo_text import EventInfo, Sentence, asserted_sentences, event_signature, terms
from veille.store.records import ClaimEvidenceRow, ClaimRow, EventRow, QuoteRow
from veille.store.schema import ArticleRow, utcnow

ECHO_JACCARD = 0.5  # as CLAIM_TEXT_THRESHOLD in linking: the same claim told in other words
ECHO_COVER = 0.8  # share of the claim's terms found in the sentence
ECHO_MIN_SHARED = 4
EVENT_JACCARD = 0.25  # with an agreeing event, fewer shared words suffice
EVENT_MIN_SHARED = 2
_MAX_TERM_DF = 200  # terms in more claims than this are too common to propose candidates
_CHUNK = 200

Signature = tuple[str, frozenset[str]]


@dataclass(frozen=True)
class EchoStats:
    scanned_articles: int
    statements: int
    echoes: int


@dataclass(frozen=True)
class _Claim:
    id: int
    article_id: int
    phrasings: tuple[frozenset[str], ...]
    signatures: frozenset[Signature]


@dataclass(frozen=True)
class _Statement:
    id: int
    article_id: int
    terms: frozenset[str]
    events: tuple[tuple[int, Signature | None], ...]
    seen: dt.datetime


def _seen(published: dt.date | None, created_at: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(published, dt.time()) if published is not None else created_at


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _stale_articles(conn: Connection, *, full: bool) -> list[Any]:
    query = select(
        ArticleRow.id,
        ArticleRow.text,
        ArticleRow.language,
        ArticleRow.updated_at,
        ArticleRow.published,
        ArticleRow.created_at,
    ).outerjoin(EchoScan, EchoScan.article_id == ArticleRow.id)
    if not full:
        query = query.where(
            or_(EchoScan.article_id.is_(None), EchoScan.article_updated_at != ArticleRow.updated_at)
        )
    return list(conn.execute(query.order_by(ArticleRow.id)).all())


def _covered_spans(conn: Connection, ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """Per article: the spans of claim evidence and quotations (someone else's words)."""
    covered: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in conn.execute(
        select(ClaimRow.article_id, ClaimEvidenceRow.start, ClaimEvidenceRow.end)
        .join(ClaimRow, ClaimRow.id == ClaimEvidenceRow.claim_id)
        .where(ClaimRow.article_id.in_(ids))
    ):
        covered[row.article_id].append((row.start, row.end))
    quotes = select(
        QuoteRow.article_id, QuoteRow.start, QuoteRow.end, QuoteRow.evidence_start, QuoteRow.evidence_end
    ).where(QuoteRow.article_id.in_(ids))
    for quote in conn.execute(quotes):
        covered[quote.article_id] += [(quote.start, quote.end), (quote.evidence_start, quote.evidence_end)]
    return covered


def _article_events(conn: Connection, ids: list[int]) -> dict[int, list[EventInfo]]:
    events: dict[int, list[EventInfo]] = defaultdict(list)
    for row in conn.execute(
        select(
            EventRow.id,
            EventRow.article_id,
            EventRow.evidence_start,
            EventRow.evidence_end,
            EventRow.base_code,
            EventRow.source_code,
            EventRow.target_code,
            EventRow.modality,
            EventRow.negated,
            EventRow.claim_id,
        ).where(EventRow.article_id.in_(ids))
    ):
        events[row.article_id].append(
            EventInfo(
                row.id,
                row.evidence_start,
                row.evidence_end,
                row.base_code,
                row.source_code,
                row.target_code,
                row.modality,
                bool(row.negated),
                row.claim_id,
            )
        )
    return events


def _statement(row_id: int, article_id: int, sentence: Sentence, seen: dt.datetime) -> _Statement:
    events = tuple((eid, event_signature(base, src, tgt)) for eid, base, src, tgt in sentence.events)
    return _Statement(row_id, article_id, sentence.terms, events, seen)


def _scan(conn: Connection, stale: Sequence[Any]) -> list[_Statement]:
    """Replace the stored sentences of ``stale`` articles by a fresh reading; mark them read."""
    statements: list[_Statement] = []
    for ids in _chunks([a.id for a in stale]):
        conn.execute(delete(ClaimEcho).where(ClaimEcho.article_id.in_(ids)))
        claim_ids = select(ClaimRow.id).where(ClaimRow.article_id.in_(ids))
        conn.execute(delete(ClaimEcho).where(ClaimEcho.claim_id.in_(claim_ids)))
        conn.execute(delete(AssertedStatement).where(AssertedStatement.article_id.in_(ids)))
        conn.execute(delete(EchoScan).where(EchoScan.article_id.in_(ids)))
    for chunk in (stale[i : i + _CHUNK] for i in range(0, len(stale), _CHUNK)):
        ids = [a.id for a in chunk]
        covered, events = _covered_spans(conn, ids), _article_events(conn, ids)
        for article in chunk:
            found = asserted_sentences(
                article.text,
                language=article.language,
                covered=covered[article.id],
                events=events[article.id],
            )
            rows = [
                {
                    "article_id": article.id,
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                    "terms": " ".join(sorted(s.terms)),
                    "events": [list(e) for e in s.events],
                }
                for s in found
            ]
            if rows:
                result = conn.execute(
                    insert(AssertedStatement).returning(AssertedStatement.id, sort_by_parameter_order=True),
                    rows,
                )
                seen = _seen(article.published, article.created_at)
                statements += [
                    _statement(r[0], article.id, s, seen) for r, s in zip(result, found, strict=True)
                ]
        now = utcnow()
        conn.execute(
            insert(EchoScan),
            [{"article_id": a.id, "article_updated_at": a.updated_at, "scanned_at": now} for a in chunk],
        )
    return statements


def _claims(conn: Connection) -> list[_Claim]:
    phrasings: dict[int, set[frozenset[str]]] = defaultdict(set)
    article_of: dict[int, int] = {}
    for row in conn.execute(select(ClaimRow.id, ClaimRow.article_id, ClaimRow.text)):
        article_of[row.id] = row.article_id
        phrasings[row.id].add(terms(row.text))
    for evidence in conn.execute(
        select(ClaimEvidenceRow.claim_id, ClaimEvidenceRow.text).where(ClaimEvidenceRow.role == "content")
    ):
        phrasings[evidence.claim_id].add(terms(evidence.text))
    signatures: dict[int, set[Signature]] = defaultdict(set)
    for ev in conn.execute(
        select(EventRow.claim_id, EventRow.base_code, EventRow.source_code, EventRow.target_code).where(
            EventRow.claim_id.is_not(None)
        )
    ):
        signature = event_signature(ev.base_code, ev.source_code, ev.target_code)
        if signature is not None and ev.claim_id is not None:
            signatures[ev.claim_id].add(signature)
    return [
        _Claim(cid, article_of[cid], tuple(p for p in phrasings[cid] if p), frozenset(signatures[cid]))
        for cid in sorted(article_of)
    ]


def _stored_statements(conn: Connection, exclude: set[int]) -> list[_Statement]:
    out = []
    for row in conn.execute(
        select(
            AssertedStatement.id,
            AssertedStatement.article_id,
            AssertedStatement.terms,
            AssertedStatement.events,
            ArticleRow.published,
            ArticleRow.created_at,
        ).join(ArticleRow, ArticleRow.id == AssertedStatement.article_id)
    ):
        if row.article_id in exclude:
            continue
        events = tuple((int(e[0]), event_signature(e[1], e[2], e[3])) for e in row.events or ())
        out.append(
            _Statement(
                row.id,
                row.article_id,
                frozenset(row.terms.split()),
                events,
                _seen(row.published, row.created_at),
            )
        )
    return out


def echo_score(
    sentence: frozenset[str], phrasing: frozenset[str], *, event_agrees: bool
) -> tuple[float, str] | None:
    """``(similarity, basis)`` when a sentence with these terms repeats a claim phrased so."""
    shared = len(sentence & phrasing)
    if not shared:
        return None
    jaccard = shared / len(sentence | phrasing)
    cover = shared / len(phrasing)
    by_text = shared >= ECHO_MIN_SHARED and (jaccard >= ECHO_JACCARD or cover >= ECHO_COVER)
    by_event = event_agrees and shared >= EVENT_MIN_SHARED and jaccard >= EVENT_JACCARD
    if by_text and event_agrees:
        return jaccard, "text+event"
    if by_text:
        return jaccard, "text"
    if by_event:
        return jaccard, "event"
    return None


def _match(statements: Sequence[_Statement], claims: Sequence[_Claim]) -> list[dict[str, Any]]:
    postings: dict[str, set[int]] = defaultdict(set)
    by_signature: dict[Signature, set[int]] = defaultdict(set)
    by_id = {c.id: c for c in claims}
    for claim in claims:
        for phrasing in claim.phrasings:
            for term in phrasing:
                postings[term].add(claim.id)
        for signature in claim.signatures:
            by_signature[signature].add(claim.id)
    echoes = []
    for st in statements:
        candidates: set[int] = set()
        for term in st.terms:
            if len(postings.get(term, ())) <= _MAX_TERM_DF:
                candidates |= postings.get(term, set())
        for _eid, event_sig in st.events:
            if event_sig is not None:
                candidates |= by_signature.get(event_sig, set())
        for cid in sorted(candidates):
            claim = by_id[cid]
            if claim.article_id == st.article_id:
                continue  # an article restating its own attributed claim is not an echo
            event_id = next(
                (eid for eid, sig in st.events if sig is not None and sig in claim.signatures), None
            )
            scores = [echo_score(st.terms, p, event_agrees=event_id is not None) for p in claim.phrasings]
            best = max((s for s in scores if s is not None), default=None)
            if best is not None:
                echoes.append(
                    {
                        "statement_id": st.id,
                        "article_id": st.article_id,
                        "claim_id": cid,
                        "event_id": event_id,
                        "similarity": round(best[0], 4),
                        "basis": best[1],
                        "seen": st.seen,
                    }
                )
    return echoes


def link_echoes(conn: Connection, *, full: bool = False) -> EchoStats:
    """Read new or changed articles, and link sentences to claims where either side is new.

    ``full`` reads every article again (after a change of the rules or thresholds).
    """
    stale = _stale_articles(conn, full=full)
    if not stale:
        return EchoStats(0, 0, 0)
    new_statements = _scan(conn, stale)
    stale_ids = {a.id for a in stale}
    claims = _claims(conn)
    echoes = _match(new_statements, claims)
    new_claims = [c for c in claims if c.article_id in stale_ids]
    if new_claims:
        echoes += _match(_stored_statements(conn, stale_ids), new_claims)
    if echoes:
        conn.execute(insert(ClaimEcho), echoes)
    return EchoStats(len(stale), len(new_statements), len(echoes))


def echo_outlets(conn: Connection) -> dict[int, set[str]]:
    """Claim row id → the outlets (else ``article:<id>``) that repeat it as fact."""
    out: dict[int, set[str]] = defaultdict(set)
    for row in conn.execute(
        select(ClaimEcho.claim_id, ClaimEcho.article_id, ArticleRow.outlet).join(
            ArticleRow, ArticleRow.id == ClaimEcho.article_id
        )
    ):
        out[row.claim_id].add(str(row.outlet or f"article:{row.article_id}"))
    return out
