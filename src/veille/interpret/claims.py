"""Claims: what the article reports as said or alleged, who it comes from, and its status.

Statements (``claim_statements``) are grouped into claims: a statement joins the previous claim when
it continues it (same source or one of its relays, "Cela permettra …, ajoute X", "ajoute la
source"), or an earlier claim whose content it restates. Status cues (``claim_status``) are linked
to the claims they are about, and the status follows, strongest first: **denied** (by whom),
**confirmed** (by whom), **unverified** (press conditional, hedges, "aucun argument convaincant"),
else **reported**.

Evidence roles: ``origin`` and ``relay`` — the words naming the first source and each relay;
``statement`` — the sentence that reports the claim, and the words of a denial that restate it;
``content`` — the reported clause itself; ``denial``, ``confirmation``, ``support``, ``doubt`` —
the quote or sentence carrying that cue. An event found inside an origin, relay or statement span
is part of the claim, not a fact asserted by the outlet.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from spacy.tokens import Doc

from veille.annotate.attribution import text_of
from veille.annotate.quote_lexicon import Lexicon, load_lexicon
from veille.interpret.claim_statements import Statement, from_attributions, outlet_conditionals
from veille.interpret.claim_status import StatusCue, cues_from_sentences, cues_from_statements, link_cues
from veille.interpret.quotes import attributions
from veille.models import Actor, Claim, ClaimEvidence, ClaimStatus, Quote

_CONTINUATION_VERBS: frozenset[str] = frozenset({"ajouter", "préciser", "poursuivre", "add", "continue"})
_MAX_TEXT = 240


def claim_key(lemmas: frozenset[str]) -> str:
    """Stable across articles: the sorted content lemmas (accents and case folded), hashed."""
    return "k" + hashlib.sha1(" ".join(sorted(lemmas)).encode()).hexdigest()[:16]


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= _MAX_TEXT:
        return text
    cut = text[:_MAX_TEXT].rsplit(" ", 1)[0]
    return cut + " …"


def _continues(claim: list[Statement], st: Statement) -> bool:
    last = claim[-1]
    if st.paragraph - last.paragraph > 1 or st.speaker is None:
        return False
    # "Cela permettra …", "…, ajoute la source", "Le média britannique affirme que …": a continuation;
    # "Stoltenberg a ajouté que …" names its speaker anew and starts a claim of its own.
    refers_back = (
        st.speaker_kind in {"pronoun", "description", "inherited"} and st.paragraph == last.paragraph
    )
    if not (st.anaphoric or refers_back or (st.verb in _CONTINUATION_VERBS and st.speaker_kind != "name")):
        return False
    chain = {name for m in claim for name in m.chain}
    return st.speaker in chain


def _restates(claim: list[Statement], st: Statement) -> bool:
    lemmas = frozenset().union(*(m.lemmas for m in claim))
    shared = len(lemmas & st.lemmas)
    smaller = min(len(lemmas), len(st.lemmas))
    return shared >= 3 and smaller > 0 and shared / smaller >= 0.5


def group_statements(statements: Sequence[Statement]) -> list[list[Statement]]:
    claims: list[list[Statement]] = []
    for st in statements:
        if claims and _continues(claims[-1], st):
            claims[-1].append(st)
            continue
        target = next((c for c in claims if _restates(c, st)), None)
        if target is not None:
            target.append(st)
        else:
            claims.append([st])
    return claims


def _status(members: list[Statement], cues: list[StatusCue]) -> tuple[ClaimStatus, str | None]:
    for role, status in (("denial", "denied"), ("confirmation", "confirmed")):
        found = sorted((c for c in cues if c.role == role), key=lambda c: c.start)
        if found:
            return status, found[0].by  # type: ignore[return-value]
    if any(m.conditional for m in members) or any(c.role == "doubt" for c in cues):
        return "unverified", None
    return "reported", None


def _evidence(doc: Doc, start: int, end: int, role: str) -> ClaimEvidence:
    return ClaimEvidence(start=start, end=end, text=text_of(doc)[start:end], role=role)


def _claim(doc: Doc, members: list[Statement], cues: list[StatusCue]) -> Claim:
    first = members[0]
    chain: list[str] = []
    for member in members:
        chain.extend(name for name in member.chain if name not in chain)
    status, by = _status(members, cues)
    evidence: list[ClaimEvidence] = []
    for member in members:
        for start, end, role in member.chain_spans:
            evidence.append(_evidence(doc, start, end, role))
        evidence.append(_evidence(doc, member.sent_start, member.sent_end, "statement"))
        evidence.append(_evidence(doc, member.start, member.end, "content"))
    for cue in cues:
        evidence.append(_evidence(doc, cue.start, cue.end, cue.role))
        if cue.restatement is not None:
            evidence.append(_evidence(doc, cue.restatement[0], cue.restatement[1], "statement"))
    evidence.sort(key=lambda e: (e.start, e.end, e.role))
    unique = list(dict.fromkeys(evidence))
    key = claim_key(first.lemmas)
    return Claim(
        id="c" + hashlib.sha1(f"{key}:{first.start}".encode()).hexdigest()[:12],
        text=_short(text_of(doc)[first.start : first.end]),
        origin=chain[0] if chain else None,
        chain=tuple(chain),
        status=status,
        by=by,
        evidence=tuple(unique),
        key=key,
    )


def _statements(doc: Doc, lex: Lexicon) -> list[Statement]:
    statements = from_attributions(doc, attributions(doc), lex)
    covered = [(s.sent_start, s.sent_end) for s in statements]
    statements.extend(outlet_conditionals(doc, lex, covered))
    statements.sort(key=lambda s: (s.start, s.end))
    return statements


def build_claims(doc: Doc, *, quotes: Sequence[Quote], actors: Sequence[Actor]) -> tuple[Claim, ...]:
    """The claims of an article, in text order, each with its chain, status and evidence.

    ``quotes`` and ``actors`` are the article's records; the statements are read from the same
    ``veille_quotes`` annotations the quotes came from, so offsets agree.
    """
    del quotes, actors  # the annotations carry the same information with token access
    lex = load_lexicon(doc.lang_ or "en")
    statements = _statements(doc, lex)
    statement_cues = cues_from_statements(doc, statements, lex)
    carriers = {id(c.statement) for c in statement_cues if c.statement is not None}
    claims = group_statements([s for s in statements if id(s) not in carriers])
    cues = statement_cues + cues_from_sentences(doc, lex, statements)
    link_cues(cues, claims)
    # A denial or confirmation about nothing reported before stands for its own content
    # ("X a démenti avoir …"), unless it is a bare label (« fausses »).
    for cue in cues:
        st = cue.statement
        if (
            cue.target is None
            and st is not None
            and st.record is not None
            and st.record.type != "direct"
            and (cue.role == "confirmation" or (st.verb_class == "denial" and st.restatement is None))
        ):
            claims.append([st])
            cue.target = len(claims) - 1
    out = [_claim(doc, members, [c for c in cues if c.target == i]) for i, members in enumerate(claims)]
    return tuple(sorted(out, key=lambda c: min((e.start for e in c.evidence), default=0)))
