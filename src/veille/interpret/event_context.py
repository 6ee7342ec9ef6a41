"""Who, when, where and under which claim: linking an event mention to the article's other records.

* actors: the actor records covering an argument phrase (the one on its head word first, else the
  most specific code in the phrase); a pronoun or possessive takes the nearest actor named before it;
  a visited city takes its country from the place record ("à Minsk" → BLR);
* date: the resolved date expression governed by the predicate's clause ("il y a trois jours ...
  avait effectué"), else one in the clause, else none (the caller falls back to the publication date);
* place: a place in the target of a visit, else the nearest place of the clause, else of the sentence;
* claim: an event inside the evidence of a claim judged denied or unverified is that claim's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from veille.annotate.doc_cache import char_span
from veille.annotate.event_syntax import Syntax
from veille.annotate.events import ArgSpan, EventMention
from veille.annotate.place_lexicon import lexicon as place_lexicon
from veille.interpret.actors import actor_at
from veille.interpret.event_tables import country_code
from veille.interpret.places import place_of_predicate
from veille.models import Actor, Claim, DateMention, EventActor, EventPlace, Place, Quote

_PRONOUN_WINDOW = 400  # characters back to look for a pronoun's antecedent
_DATE_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATE_TYPES = frozenset({"date", "daterange", "datetime", "datetimerange"})
_OPEN_ENDED = frozenset({"since", "after", "before", "until"})
_CLAIM_TYPES = frozenset({"denied", "unverified"})
_CLAIM_ROLES = frozenset({"origin", "relay", "statement", "content"})
_ABBREVIATION = re.compile(r"(?:^|[\s.(])[A-Z][a-z]?\.$")
_BOUNDARY = re.compile(r"[.!?…][»”\"']?\s+(?=[«“\"A-ZÀ-ÖØ-Þ0-9])|\n")


@dataclass(frozen=True, slots=True)
class Resolved:
    """An argument linked to an actor (or only to its text)."""

    text: str
    start: int
    end: int
    code: str | None
    how: str  # actor | place | pronoun | anaphor | speaker | demonym | text


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def actor_in(arg: ArgSpan, actors: Sequence[Actor]) -> Actor | None:
    """The actor an argument phrase names: the one on its head word first, else the one covering most
    of the phrase ("le secrétaire d'État américain Mike Pompeo", "Minsk, capitale de la Biélorussie")."""
    coded = [a for a in actors if a.code]
    return actor_at(coded, arg.head_start, arg.head_end) or actor_at(coded, arg.start, arg.end)


def _head_word(arg: ArgSpan) -> str:
    """The argument's head word, lower-cased ("il", "nous")."""
    return arg.text[arg.head_start - arg.start : arg.head_end - arg.start].lower()


# First-person pronouns: inside quotation marks they are the speaker, never the actor named last.
_FIRST_PERSON = frozenset({"je", "j'", "j’", "nous", "me", "m'", "m’", "moi", "i", "we", "us"})


def speaker_of_first_person(arg: ArgSpan | None, quotes: Sequence[Quote]) -> Resolved | None:
    """ "« Nous ne signerons aucun accord », a déclaré X": "Nous" is X (coded or not), when the
    pronoun stands inside the quoted words; None for any other argument."""
    if arg is None or not arg.pronoun:
        return None
    if _head_word(arg) not in _FIRST_PERSON:
        return None
    for quote in quotes:
        if quote.type != "indirect" and quote.start <= arg.start and arg.end <= quote.end:
            speaker = quote.speaker
            if speaker.code and speaker.start is not None and speaker.end is not None:
                return Resolved(speaker.name or arg.text, speaker.start, speaker.end, speaker.code, "speaker")
            return Resolved(arg.text, arg.start, arg.end, None, "text")
    return None


# Third-person subject pronouns: the subject of the sentence before is their likeliest referent.
_SUBJECT_PRONOUNS = frozenset({"il", "elle", "ils", "elles", "he", "she", "they"})


def subject_before(arg: ArgSpan | None, sources: Sequence[EventActor | None]) -> Resolved | None:
    """ "Raila Odinga accused the government … He denied …": a subject pronoun names the coded source
    of the event or the speaker of the quotation told just before it (``sources``, any order), when
    that is close; None otherwise (the nearest actor is then tried)."""
    if arg is None or not arg.pronoun or arg.role != "subj":
        return None
    if _head_word(arg) not in _SUBJECT_PRONOUNS:
        return None
    placed = [
        (s.start, s.end, s)
        for s in sources
        if s is not None and s.start is not None and s.end is not None and s.end <= arg.start
    ]
    if not placed:
        return None
    start, end, last = max(placed, key=lambda item: item[1])
    if arg.start - end > _PRONOUN_WINDOW or not last.code:
        return None
    return Resolved(last.text, start, end, last.code, "pronoun")


_SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "nsubjpass"})


def main_subjects(doc: Doc, actors: Sequence[Actor]) -> list[EventActor]:
    """The coded actors that are the subject of their sentence's main verb ("Le président ukrainien
    Volodymyr Zelensky a appelé les alliés … Il doit rencontrer …"): candidates for a later subject
    pronoun beside the sources of coded events, since a sentence may code no event of its own."""
    out: list[EventActor] = []
    for actor in actors:
        if not actor.code:
            continue
        span = char_span(doc, actor.start, actor.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if root.dep_ in _SUBJECT_DEPS and root.head.dep_ == "ROOT":
            out.append(EventActor(text=actor.text, code=actor.code, start=actor.start, end=actor.end))
    return out


def _named_head(arg: ArgSpan, actors: Sequence[Actor]) -> bool:
    return any(
        a.code and arg.start <= a.start <= arg.head_start and arg.head_end <= a.end <= arg.end for a in actors
    )


def antecedent(arg: ArgSpan, actors: Sequence[Actor], *, avoid: str | None) -> Actor | None:
    """The nearest coded actor before a pronoun, within a short window, other than ``avoid``'s code."""
    before = [
        a
        for a in actors
        if a.code and a.end <= arg.start and arg.start - a.end <= _PRONOUN_WINDOW and a.code != avoid
    ]
    return max(before, key=lambda a: a.end) if before else None


def pair_antecedents(arg: ArgSpan, actors: Sequence[Actor]) -> tuple[Actor, Actor] | None:
    """ "les deux hommes": the two last distinct actors named before the phrase (used when no earlier
    event gives the pair)."""
    chosen: list[Actor] = []
    for actor in sorted((a for a in actors if a.code and a.end <= arg.start), key=lambda a: -a.end):
        if arg.start - actor.end > _PRONOUN_WINDOW:
            break
        if all(
            actor.name != c.name and not _overlaps(actor.start, actor.end, c.start, c.end) for c in chosen
        ):
            chosen.append(actor)
        if len(chosen) == 2:
            return chosen[1], chosen[0]
    return None


def place_in(arg: ArgSpan, places: Sequence[Place]) -> Place | None:
    inside = [p for p in places if _overlaps(p.start, p.end, arg.start, arg.end)]
    if not inside:
        return None
    on_head = [p for p in inside if _overlaps(p.start, p.end, arg.head_start, arg.head_end)]
    return (on_head or inside)[0]


def resolve(
    arg: ArgSpan | None,
    alternatives: Sequence[ArgSpan],
    *,
    actors: Sequence[Actor],
    places: Sequence[Place],
    as_place: bool,
    avoid: str | None,
    any_place: bool = False,
) -> Resolved | None:
    """Link an argument (or, failing that, one of its alternatives) to a coded actor or country.

    A place stands for its country when the frame says the argument is a location (a visit), when it
    is a country the actor coder did not code, or (``any_place``) for the target of an attack ("ont
    bombardé la ville de Kharkiv" → UKR).
    """
    if arg is None:
        return None
    for candidate in (arg, *alternatives):
        # The tagger takes some acronyms for pronouns ("Les FSR" as "les trois"): an actor's name
        # on the head word is no pronoun.
        if candidate.pronoun and not _named_head(candidate, actors):
            actor = antecedent(candidate, actors, avoid=avoid)
            if actor is not None:
                return Resolved(actor.text, actor.start, actor.end, actor.code, "pronoun")
            continue
        actor = actor_in(candidate, actors)
        place = place_in(candidate, places) if places else None
        code = country_code(place.country) if place is not None else None
        if code and place is not None:
            on_head = _overlaps(place.start, place.end, candidate.head_start, candidate.head_end)
            actor_on_head = actor is not None and _overlaps(
                actor.start, actor.end, candidate.head_start, candidate.head_end
            )
            # A visited city names its country; an actor on the head word ("visiter la Chine") wins.
            if as_place and (on_head or actor is None) and not actor_on_head:
                return Resolved(candidate.text, candidate.start, candidate.end, code, "place")
            if actor is None and (any_place or place.kind == "country"):
                return Resolved(candidate.text, candidate.start, candidate.end, code, "place")
        if actor is not None:
            return Resolved(candidate.text, candidate.start, candidate.end, actor.code, "actor")
        demonym = _demonym_code(candidate.text)
        if demonym is not None:
            # "des frappes israéliennes", "Russian strikes": the adjective is the doer's country.
            return Resolved(candidate.text, candidate.start, candidate.end, demonym, "demonym")
    return Resolved(arg.text, arg.start, arg.end, None, "text")


def _demonym_code(text: str) -> str | None:
    """The CAMEO country of an argument that is one adjective of nationality, else None."""
    if " " in text:
        return None
    for lang in ("fr", "en"):
        is_demonym, iso2 = place_lexicon(lang).demonym_country(text)
        if is_demonym:
            return country_code(iso2)
    return None


def event_date(
    doc: Doc, mention: EventMention, dates: Sequence[DateMention], syntax: Syntax, *, bounds: tuple[int, int]
) -> str | None:
    """The date of the predicate's clause: governed by its head first, else the nearest in the clause."""
    best: tuple[int, int, str] | None = None
    anchors = {mention.clause_head, mention.trigger_token}
    for date in dates:
        value = date.value or (date.range[0] if date.range else None)
        if value and date.type.startswith("datetime"):
            value = value.split("T")[0]  # "samedi soir": the event's day
        if (
            not value
            or date.type not in _DATE_TYPES
            or not _DATE_VALUE.match(value)
            or date.mod in _OPEN_ENDED
        ):
            continue
        if not (bounds[0] <= date.start < bounds[1]):
            continue
        span = char_span(doc, date.start, date.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        governed = any(syntax.clause_head(t).i in anchors for t in span)
        in_clause = mention.clause_start <= date.start < mention.clause_end
        if not (governed or in_clause):
            continue
        distance = abs(date.start - mention.trigger_start)
        key = (0 if governed else 1, distance, value)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def event_place(
    doc: Doc, mention: EventMention, places: Sequence[Place], *, bounds: tuple[int, int]
) -> Place | None:
    """The visited place for a visit ("à Minsk"), else the place attached to the predicate's clause."""
    if mention.target_place and mention.target is not None:
        place = place_in(mention.target, places)
        if place is not None:
            return place
    place = place_of_predicate(doc, mention.clause_head, places, lang=doc.lang_ or None)
    if place is None or not bounds[0] <= place.start < bounds[1]:
        return None  # the parser may merge sentences: a place outside the evidence is not this event's
    for arg in (mention.source, None if mention.target_place else mention.target):
        if arg is not None and _overlaps(place.start, place.end, arg.head_start, arg.head_end):
            return None  # "sanctions imposées par les États-Unis": a participant, not a location
    return place


def as_event_place(place: Place | None) -> EventPlace | None:
    if place is None:
        return None
    return EventPlace(
        name=place.name, country=place.country, lat=place.lat, lon=place.lon, geonameid=place.geonameid
    )


def claim_of(mention: EventMention, claims: Sequence[Claim]) -> Claim | None:
    """The unverified or denied claim whose stated content holds the event's trigger."""
    for claim in claims:
        if claim.status not in _CLAIM_TYPES:
            continue
        for ev in claim.evidence:
            if ev.role in _CLAIM_ROLES and ev.start <= mention.trigger_start < ev.end:
                return claim
    return None


def evidence_bounds(text: str, mention: EventMention) -> tuple[int, int]:
    """The sentence around the trigger, cut at line breaks and sentence ends the parser merged."""
    start, end = mention.sentence_start, mention.sentence_end
    for match in _BOUNDARY.finditer(text, start, end):
        if text[match.start()] != "\n" and _ABBREVIATION.search(
            text, max(0, match.start() - 4), match.start() + 1
        ):
            continue  # "M. Macron", "U.S. troops": an abbreviation, not a sentence end
        if match.end() <= mention.trigger_start:
            start = match.end()
        elif match.start() >= mention.trigger_end:
            end = match.start() + (1 if text[match.start()] in ".!?…" else 0)
            break
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
