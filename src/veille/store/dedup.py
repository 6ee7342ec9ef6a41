"""Near-duplicate detection across the store: MinHash of word shingles, LSH bands kept in SQL.

Each article's MinHash (datasketch) is cut into ``BANDS`` bands; a band hash shared by two articles
makes them candidates, and candidates are kept when their estimated Jaccard similarity reaches
``threshold``. Band hashes live in ``minhash_bands`` (indexed), so finding the candidates of a new
article is one indexed query, whatever the size of the store. Groups are the connected components
of the verified pairs; each group has one canonical article (the earliest published, then the
longest, then the first stored), and every copy keeps its own records and mentions.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from datasketch import MinHash
from sqlalchemy import Connection, bindparam, delete, insert, or_, select, update

from veille.store.schema import ArticleRow, MinhashBand, NearDuplicate

NUM_PERM = 128
BANDS = 32  # 4 rows per band: candidate probability 0.87 at Jaccard 0.5, 0.23 at 0.3
SHINGLE = 4  # words per shingle
MIN_WORDS = 20  # shorter texts are not compared (too few shingles to say anything)
DEFAULT_THRESHOLD = 0.5

_WORD = re.compile(r"\w+")


def _normalise(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(stripped)


def shingles(text: str, *, size: int = SHINGLE) -> set[bytes]:
    words = _normalise(text)
    if len(words) < max(size, MIN_WORDS):
        return set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@cache
def _template() -> MinHash:
    # Building the permutations is the costly part of a MinHash: do it once and copy.
    return MinHash(num_perm=NUM_PERM, seed=1)


def signature(text: str) -> np.ndarray[Any, np.dtype[np.uint32]] | None:
    """The MinHash signature of a text (uint32 values), or None when the text is too short."""
    grams = shingles(text)
    if not grams:
        return None
    minhash = _template().copy()
    minhash.update_batch(list(grams))
    return np.asarray(minhash.hashvalues, dtype=np.uint64).astype(np.uint32)


def to_bytes(sig: np.ndarray[Any, np.dtype[np.uint32]]) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray[Any, np.dtype[np.uint32]]:
    return np.frombuffer(data, dtype="<u4")


def band_hashes(sig: np.ndarray[Any, np.dtype[np.uint32]]) -> list[int]:
    """One signed 64-bit hash per band (the band number is part of the hash)."""
    rows = len(sig) // BANDS
    out = []
    for band in range(BANDS):
        chunk = to_bytes(sig[band * rows : (band + 1) * rows])
        digest = hashlib.blake2b(band.to_bytes(2, "little") + chunk, digest_size=8).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return sorted(set(out))


def similarity(a: np.ndarray[Any, np.dtype[np.uint32]], b: np.ndarray[Any, np.dtype[np.uint32]]) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


def index_article(
    conn: Connection,
    article_id: int,
    sig: np.ndarray[Any, np.dtype[np.uint32]] | None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
) -> int:
    """Store the bands of one article and its verified near-duplicate pairs; return how many pairs."""
    conn.execute(delete(MinhashBand).where(MinhashBand.article_id == article_id))
    conn.execute(
        delete(NearDuplicate).where(
            or_(NearDuplicate.article_a == article_id, NearDuplicate.article_b == article_id)
        )
    )
    if sig is None:
        return 0
    bands = band_hashes(sig)
    candidates = conn.execute(
        select(MinhashBand.article_id)
        .where(MinhashBand.band_hash.in_(bands), MinhashBand.article_id != article_id)
        .distinct()
    ).scalars()
    candidate_ids = sorted(set(candidates))
    pairs = []
    if candidate_ids:
        stored = conn.execute(
            select(ArticleRow.id, ArticleRow.minhash).where(ArticleRow.id.in_(candidate_ids))
        ).all()
        for other_id, data in stored:
            if data is None:
                continue
            score = similarity(sig, from_bytes(data))
            if score >= threshold:
                low, high = sorted((article_id, other_id))
                pairs.append({"article_a": low, "article_b": high, "similarity": round(score, 4)})
    conn.execute(insert(MinhashBand), [{"band_hash": h, "article_id": article_id} for h in bands])
    if pairs:
        conn.execute(insert(NearDuplicate), pairs)
    return len(pairs)


@dataclass(frozen=True)
class _Member:
    id: int
    published: Any
    length: int


def components(ids: Iterable[int], edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    parent = {i: i for i in ids}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in parent}


def _canonical(members: Sequence[_Member]) -> int:
    def rank(m: _Member) -> tuple[int, str, int, int]:
        day = m.published.isoformat() if m.published is not None else ""
        return (0 if day else 1, day, -m.length, m.id)

    return min(members, key=rank).id


def regroup(conn: Connection) -> int:
    """Recompute every article's dedup group and canonical flag; return the number of groups of ≥ 2."""
    edges = conn.execute(select(NearDuplicate.article_a, NearDuplicate.article_b)).all()
    linked = {i for edge in edges for i in edge}
    if not linked:
        groups: dict[int, int] = {}
        members: dict[int, list[_Member]] = {}
    else:
        rows = conn.execute(
            select(ArticleRow.id, ArticleRow.published, ArticleRow.text).where(ArticleRow.id.in_(linked))
        ).all()
        groups = components([r.id for r in rows], [(a, b) for a, b in edges])
        members = {}
        for row in rows:
            members.setdefault(groups[row.id], []).append(_Member(row.id, row.published, len(row.text)))
    canonical = {root: _canonical(group) for root, group in members.items()}
    wanted: dict[int, tuple[int | None, bool]] = {
        article: (root, canonical[root] == article) for article, root in groups.items()
    }
    current = conn.execute(select(ArticleRow.id, ArticleRow.dedup_group, ArticleRow.is_canonical)).all()
    changes = []
    for article_id, old_group, old_canonical in current:
        group, is_canonical = wanted.get(article_id, (None, True))
        if (old_group, old_canonical) != (group, is_canonical):
            changes.append({"b_id": article_id, "dedup_group": group, "is_canonical": is_canonical})
    if changes:
        conn.execute(
            update(ArticleRow)
            .where(ArticleRow.id == bindparam("b_id"))
            .values(dedup_group=bindparam("dedup_group"), is_canonical=bindparam("is_canonical")),
            changes,
        )
    return len(members)
