"""Event records from the ``veille_events`` mentions: coded actors, date, place, modality, claim link.

:func:`code_events` is the entry :mod:`veille.interpret.analysis` calls once the actors, dates, places
and claims of the article exist. Each mention becomes at most one :class:`~veille.models.Event` per
(source, target) pair; a mention whose source and target name no actor at all is dropped (an event
with nobody in it is not something event data can use). PLOVER type, Goldstein score and quad class
come from the CAMEO tables (:mod:`veille.interpret.event_tables`).

Modality: the linguistic modality of the mention (asserted, reported, conditional, intended) unless the
event lies in the stated content of a claim judged *denied* or *unverified*: then it is ``claimed``
and carries that claim's id, so that it never passes as a plain fact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from functools import cache

from spacy.tokens import Doc

from veille.annotate.doc_cache import doc_text
from veille.annotate.event_lexicon import load_lexicon
from veille.annotate.event_syntax import Syntax
from veille.annotate.events import EventMention
from veille.interpret.event_context import (
    Resolved,
    as_event_place,
    claim_of,
    event_date,
    event_place,
    evidence_bounds,
    main_subjects,
    pair_antecedents,
    resolve,
    speaker_of_first_person,
    subject_before,
)
from veille.interpret.event_tables import goldstein_of, plover_of, quad_class_of
from veille.models import Actor, Claim, DateMention, Event, EventActor, Evidence, Modality, Place, Quote

_BASE_CONFIDENCE = {"verb": 0.75, "noun": 0.65, "evaluation": 0.55, "report": 0.5}
# Characters between an event and "les deux hommes" referring to its parties.
_PAIR_WINDOW = 300
# Roots whose target place stands for its country (a city bombed, a border reinforced).
_FORCE_ROOTS = frozenset({"15", "17", "18", "19", "20"})


@cache
def _syntax(lang: str) -> Syntax:
    return Syntax(load_lexicon(lang).scheme)


_APPOSITION_GAP = 3  # characters between a name and its apposition: ", "


def code_events(
    doc: Doc,
    *,
    actors: Sequence[Actor],
    dates: Sequence[DateMention],
    places: Sequence[Place],
    claims: Sequence[Claim],
    published: dt.date | None,
    require_actor: bool = True,
    quotes: Sequence[Quote] = (),
) -> tuple[Event, ...]:
    """The events of an annotated Doc (``veille_events`` must have run), in text order.

    ``quotes``: the article's quotations, whose speakers a first-person pronoun inside them names."""
    mentions: Sequence[EventMention] = getattr(doc._, "veille_event_mentions", None) or ()
    syntax = _syntax(doc.lang_ or "en")
    # Who a subject pronoun may stand for, besides earlier events' sources: quoted speakers and the
    # coded subjects of main clauses.
    subjects = _speakers(quotes) + (main_subjects(doc, actors) if mentions else [])
    events: list[Event] = []
    seen: set[tuple[str, str | None, str | None, int]] = set()
    for mention in mentions:
        for source, target in _participants(
            mention, actors, places, previous=events, quotes=quotes, subjects=subjects
        ):
            if require_actor and not (source and source.code) and not (target and target.code):
                continue
            if mention.kind == "report" and not _reporting_party(source, actors):
                continue
            if (
                source
                and target
                and source.code
                and source.code == target.code
                and (source.start == target.start or _side_by_side(source, target))
            ):
                continue  # one party twice: the same words, or a name and its apposition
            key = (
                mention.cameo,
                source.code if source else None,
                target.code if target else None,
                mention.trigger_start,
            )
            if key in seen:
                continue
            seen.add(key)
            events.append(_event(doc, mention, source, target, dates, places, claims, published, syntax))
    return tuple(
        e
        for i, e in enumerate(events)
        if not _partial_copy(e, events) and not _told_twice(i, events) and not _apposed_copy(e, events)
    )


def _side_by_side(a: Resolved | EventActor, b: Resolved | EventActor) -> bool:
    """Two phrases a comma apart: a name and its apposition, or two items of a list."""
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return False
    return 0 <= b.start - a.end <= _APPOSITION_GAP or 0 <= a.start - b.end <= _APPOSITION_GAP


def _specificity(actor: EventActor | None) -> int:
    code = actor.code if actor is not None else None
    return 0 if not code else 1 if code.startswith("---") else 2


def _apposed_copy(event: Event, events: Sequence[Event]) -> bool:
    """ "Le général X, chef de l'armée soudanaise, a accusé …": the parser reads the apposition as a
    second subject. Of two events of one clause whose sources stand side by side, a comma apart, with
    the same code and target, the one whose source says less (no country, or no code) goes; a list of
    coded parties ("le Kenya, l'Ouganda et la Tanzanie") keeps all its events."""
    mine = event.source
    if mine is None:
        return False
    for other in events:
        theirs = other.source
        if (
            other is event
            or theirs is None
            or other.cameo != event.cameo
            or _party(other.target) != _party(event.target)
            or not _same_clause(event, other)
        ):
            continue
        if _side_by_side(mine, theirs) and _specificity(mine) < _specificity(theirs):
            return True
    return False


def _told_twice(index: int, events: Sequence[Event]) -> bool:
    """The same event found twice in one clause ("a imposé de nouvelles sanctions": by its verb and
    by its noun): same code, same parties, overlapping evidence. The surer one (else the first) stays."""
    event = events[index]
    key = (event.cameo, _party(event.source), _party(event.target))
    return any(
        j != index
        and (other.cameo, _party(other.source), _party(other.target)) == key
        and _same_clause(event, other)
        and (other.confidence, -j) > (event.confidence, -index)
        for j, other in enumerate(events)
    )


def _partial_copy(event: Event, events: Sequence[Event]) -> bool:
    """An event missing one party that another event of the same clause states in full, same code, same
    other party ("met with X to discuss", "issued arrest warrants for X"): the fuller one says it all."""
    s, t = _party(event.source), _party(event.target)
    if bool(s) == bool(t):
        return False
    return any(
        other is not event
        and other.cameo == event.cameo
        and _party(other.source)
        and _party(other.target)
        and (_party(other.source) == s if s else _party(other.target) == t)
        and _same_clause(event, other)
        for other in events
    )


def _same_clause(a: Event, b: Event) -> bool:
    return a.evidence.start < b.evidence.end and b.evidence.start < a.evidence.end


def _party(actor: EventActor | None) -> str | None:
    return actor.code if actor is not None else None


def _speakers(quotes: Sequence[Quote]) -> list[EventActor | None]:
    """The coded speakers of the quotations, as the subjects of their sentences."""
    return [
        EventActor(text=q.speaker.name or "", code=q.speaker.code, start=q.speaker.start, end=q.speaker.end)
        for q in quotes
        if q.speaker.code and q.speaker.start is not None
    ]


def _participants(
    mention: EventMention,
    actors: Sequence[Actor],
    places: Sequence[Place],
    *,
    previous: Sequence[Event],
    quotes: Sequence[Quote],
    subjects: Sequence[EventActor | None],
) -> list[tuple[Resolved | None, Resolved | None]]:
    if mention.pair_anaphor and mention.source is not None:
        # "Les deux hommes se sont entretenus": the two parties of the event just told, else the two
        # actors named last.
        pair = _last_pair(mention, previous)
        if pair is None:
            named = pair_antecedents(mention.source, actors)
            if named is not None:
                pair = tuple(Resolved(x.text, x.start, x.end, x.code, "anaphor") for x in named)  # type: ignore[assignment]
        if pair is not None:
            a, b = pair
            return [(a, b), (b, a)]
    source = (
        speaker_of_first_person(mention.source, quotes)
        or subject_before(mention.source, [*(e.source for e in previous), *subjects])
        or resolve(
            mention.source,
            mention.source_alternatives,
            actors=actors,
            places=places,
            as_place=False,
            avoid=None,
        )
    )
    target = speaker_of_first_person(mention.target, quotes) or resolve(
        mention.target,
        mention.target_alternatives,
        actors=actors,
        places=places,
        as_place=mention.target_place,
        avoid=source.code if source else None,
        any_place=mention.cameo[:2] in _FORCE_ROOTS,
    )
    return [(source, target)]


def _reporting_party(source: Resolved | None, actors: Sequence[Actor]) -> bool:
    """A report is an accusation only from a coded party, not from a news medium relaying it."""
    if source is None or not source.code:
        return False
    if "MED" in source.code[3:] or "JRN" in source.code[3:]:
        return False
    return not any(a.role == "MED" and a.start == source.start and a.end == source.end for a in actors)


def _last_pair(mention: EventMention, previous: Sequence[Event]) -> tuple[Resolved, Resolved] | None:
    assert mention.source is not None
    for event in reversed(previous):
        if (
            event.evidence.end > mention.source.start
            or mention.source.start - event.evidence.end > _PAIR_WINDOW
        ):
            continue
        s, t = event.source, event.target
        if s is None or t is None or not s.code or not t.code or s.start is None or t.start is None:
            continue
        return (
            Resolved(s.text, s.start, s.end or s.start, s.code, "anaphor"),
            Resolved(t.text, t.start, t.end or t.start, t.code, "anaphor"),
        )
    return None


def _event(
    doc: Doc,
    mention: EventMention,
    source: Resolved | None,
    target: Resolved | None,
    dates: Sequence[DateMention],
    places: Sequence[Place],
    claims: Sequence[Claim],
    published: dt.date | None,
    syntax: Syntax,
) -> Event:
    text = doc_text(doc)
    start, end = evidence_bounds(text, mention)
    date = event_date(doc, mention, dates, syntax, bounds=(start, end))
    claim = claim_of(mention, claims)
    modality: Modality = "claimed" if claim is not None else _modality(mention.modality)
    confidence = _BASE_CONFIDENCE.get(mention.kind, 0.6)
    if source and source.code and target and target.code:
        confidence += 0.1
    if any(p is not None and p.how in {"pronoun", "anaphor"} for p in (source, target)):
        confidence -= 0.1
    if date is None:
        # No date in the clause: the event is dated by the article, which may be days later.
        confidence -= 0.1
        date = published.isoformat() if published is not None else None
    code = mention.cameo
    basis = f"{text[start:end]}|{mention.trigger_start}|{code}|{_code(source)}|{_code(target)}"
    return Event(
        id=hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16],
        cameo=code,
        plover=plover_of(code),
        source=_actor(source),
        target=_actor(target),
        date=date,
        place=as_event_place(event_place(doc, mention, places, bounds=(start, end))),
        negated=mention.negated,
        modality=modality,
        claim_id=claim.id if claim is not None else None,
        confidence=round(min(0.95, max(0.05, confidence)), 2),
        evidence=Evidence(start=start, end=end, text=text[start:end]),
        goldstein=goldstein_of(code),
        quad_class=quad_class_of(code),
        trigger=text[mention.trigger_start : mention.trigger_end],
    )


def _modality(value: str) -> Modality:
    if value == "reported":
        return "reported"
    if value == "conditional":
        return "conditional"
    if value == "intended":
        return "intended"
    return "asserted"


def _code(party: Resolved | None) -> str:
    return (party.code or party.text) if party is not None else ""


def _actor(party: Resolved | None) -> EventActor | None:
    if party is None:
        return None
    return EventActor(text=party.text, code=party.code, start=party.start, end=party.end)
