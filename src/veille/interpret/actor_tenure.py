"""The "actor-tenure" publication-date constraint: people hold the offices the text gives them only in
some years.

"le secrétaire d'État américain Mike Pompeo" can only be written while Pompeo was US Secretary of State
(2018-04-26 – 2021-01-20), so a candidate publication date outside that tenure is dropped. Rules:

* only a person whose office is *stated* by the text (a title or apposition: "le président US Donald
  Trump", "Jens Stoltenberg, NATO's secretary general") constrains, and only through the knowledge base's
  dated offices that match the title (same office key, same country or organisation); a person merely
  named ("Trump a dit") constrains nothing: a bare name says nothing about the date (people are named
  long after they leave office), and life dates are not in the knowledge base;
* "ancien", "ex-", "former" titles constrain nothing;
* an office that ended with its holder's death only bounds the start (articles keep calling the dead by
  their last title: "le général Soleimani est tombé en martyr");
* a mention that would leave no candidate is ignored (the text contradicts the knowledge base: better
  keep the other clues than drop everything).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from spacy.tokens import Doc

from veille.annotate.actor_kb import ActorKB, KbEntity, load_kb
from veille.annotate.actor_types import ActorMention, Coding
from veille.interpret.published import ConstraintVerdict
from veille.models import PublishedEvidence


def _same_office(mention: ActorMention, office: Coding, kb: ActorKB) -> bool:
    stated = mention.stated
    if stated is None:
        return False
    if mention.positions and office.position not in kb.expand_positions(mention.positions):
        return False
    if stated.country is not None:
        if office.country != stated.country:
            return False
    elif stated.code[:3] != "---" and not office.code.startswith(stated.code[:6]):
        return False  # an IGO title: the office must be in the same organisation
    return bool(mention.positions) or (office.role is not None and office.role == stated.role)


def _holds(office: Coding, day: dt.date) -> bool:
    if office.start is not None and day < office.start:
        return False
    ended_by_death = office.died is not None and office.end is not None and office.end >= office.died
    return office.end is None or ended_by_death or day <= office.end


def _why(entity: KbEntity, offices: Sequence[Coding]) -> str:
    parts = []
    for office in sorted(offices, key=lambda o: o.start or dt.date.min):
        start = office.start.isoformat() if office.start else "?"
        label = office.label or office.code
        if office.end is None:
            parts.append(f"has been {label} since {start}")
        else:
            parts.append(f"was {label} {start} – {office.end.isoformat()}")
    return f"{entity.name} " + "; ".join(parts)


def tenure_constraint(doc: Doc, candidates: Sequence[dt.date]) -> ConstraintVerdict | None:
    mentions = doc._.veille_actor_mentions if Doc.has_extension("veille_actor_mentions") else None
    return tenure_verdict(mentions or [], candidates)


def tenure_verdict(
    mentions: Sequence[ActorMention], candidates: Sequence[dt.date]
) -> ConstraintVerdict | None:
    """The constraint on a list of mentions (what :func:`tenure_constraint` reads off the Doc)."""
    if not candidates:
        return None
    kb = load_kb()
    everything = frozenset(candidates)
    allowed = set(everything)
    evidence: list[PublishedEvidence] = []
    seen: set[str] = set()
    for mention in mentions:
        if mention.kind != "person" or mention.kb_id is None or mention.stated is None or mention.former:
            continue
        if mention.kb_id in seen:
            continue
        entity = kb.entities.get(mention.kb_id)
        offices = [o for o in entity.offices if _same_office(mention, o, kb)] if entity is not None else []
        if entity is None or not offices:
            continue
        seen.add(mention.kb_id)
        keep = {day for day in everything if any(_holds(o, day) for o in offices)}
        narrowed = allowed & keep
        if keep == everything or not narrowed:
            continue
        allowed = narrowed
        evidence.append(
            PublishedEvidence(
                start=mention.start, end=mention.end, text=mention.text, why=_why(entity, offices)
            )
        )
    if not evidence:
        return None
    return ConstraintVerdict(allowed=frozenset(allowed), evidence=tuple(evidence))
