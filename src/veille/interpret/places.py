"""Place records from the toponyms of ``veille_places``, and where events happen.

- :func:`locate_places`: one :class:`~veille.models.Place` per toponym, resolved with the
  article's context (its other places, demonyms and the countries of its actors).
- :func:`place_for_span`, :func:`place_of_predicate`: the place of an event, for event coding
  ("à Minsk", "in Baghdad" governed by the predicate, else the sentence's place).
- :func:`event_place`, :func:`action_geo`: the event's place in the contract and GDELT's
  ActionGeo fields (FIPS 10-4 country codes, as GDELT uses, from ``data/geo/countries.tsv``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

from spacy.tokens import Doc, Token

from veille.annotate.doc_cache import char_span, doc_text
from veille.annotate.place_lexicon import lexicon
from veille.annotate.place_rank import rank
from veille.annotate.places import Toponym, recognizer
from veille.models import Actor, EventPlace, Place
from veille.resources import load_tsv

_ACTOR_WEIGHT = 0.5  # an actor's country counts for half a place name in the context
_DEMONYM_WEIGHT = 0.3
# Dependencies that open another clause: a place there belongs to another event.
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl:relcl", "parataxis", "conj", "xcomp", "csubj"})
# Knowledge-base ids whose prefix (the entry's kind, data/actors/README.md) is never a place.
_NOT_PLACE_KB = frozenset({"grp", "med", "ngo", "igo"})
_SPECIFIC_KINDS = ("city", "feature", "sea", "region", "admin1", "border", "country", "continent")


@cache
def _countries() -> dict[str, dict[str, str]]:
    return {row["iso2"]: row for row in load_tsv("geo/countries.tsv")}


@cache
def _iso3_to_iso2() -> dict[str, str]:
    return {row["iso3"]: iso2 for iso2, row in _countries().items()}


@cache
def _admin1_names() -> dict[tuple[str, str], str]:
    return {(row["country"], row["admin1"]): row["name"] for row in load_tsv("geo/admin1.tsv")}


def fips_code(iso2: str | None) -> str | None:
    """The FIPS 10-4 country code GDELT uses (Belarus BY → BO, Iraq IQ → IZ)."""
    if iso2 is None:
        return None
    row = _countries().get(iso2)
    return (row["fips"] or None) if row else None


def _qualifiers(doc: Doc, toponyms: Sequence[Toponym]) -> dict[int, int]:
    """'Paris, Texas': the index of a toponym → the index of the one qualifying it."""
    out: dict[int, int] = {}
    text = doc_text(doc)  # Doc.text is built by joining every token: read it once
    for i in range(len(toponyms) - 1):
        a, b = toponyms[i], toponyms[i + 1]
        if text[a.end : b.start].strip() == "," and any(
            c.kind in {"admin1", "country"} for c in b.candidates
        ):
            out[i] = i + 1
    return out


def _named_as_division(doc: Doc, toponym: Toponym, lang: str) -> bool:
    """ "Washington state", "l'État de Washington", "the province of Buenos Aires"."""
    words = lexicon(lang).division_words
    after = doc[toponym.token_end].lower_ if toponym.token_end < len(doc) else ""
    start = toponym.token_start
    before = doc[start - 2].lower_ if start >= 2 and doc[start - 1].lower_ in {"de", "d'", "d’", "of"} else ""
    return after in words or before in words


def _context(doc: Doc, actors: Sequence[Actor]) -> dict[str, float]:
    weights: defaultdict[str, float] = defaultdict(float)
    for country, count in (doc._.veille_place_context or {}).items():
        weights[country] += _DEMONYM_WEIGHT * count
    iso3 = _iso3_to_iso2()
    for actor in actors:
        iso2 = iso3.get(actor.country or "")
        if iso2:
            weights[iso2] += _ACTOR_WEIGHT
    return dict(weights)


def _named_actor(doc: Doc, toponym: Toponym, actors: Sequence[Actor], lang: str) -> bool:
    """Whether the toponym's words name an actor that is no place.

    An armed group, a party, a medium, an NGO or an IGO of the knowledge base ("Hamas" is also an
    old name of Hamm, Germany); for a name the gazetteer does not know, any actor with a role
    ("ministère russe des Affaires étrangères", which the NER took for a location); and a landmark
    that stands for a government (:func:`_landmark_as_actor`)."""
    for actor in actors:
        if actor.start > toponym.start or actor.end < toponym.end:
            continue
        if actor.kb_id is not None and actor.kb_id.split(":", 1)[0] in _NOT_PLACE_KB:
            return True
        if actor.role is not None and (not toponym.candidates or _landmark_as_actor(doc, toponym, lang)):
            return True
    return False


def _landmark_as_actor(doc: Doc, toponym: Toponym, lang: str) -> bool:
    """ "le porte-parole du Kremlin", "la Maison Blanche a dénoncé": a landmark (a feature of the
    gazetteer; towns may share its name) read as an actor with a role is that actor, unless a
    locative word puts something there ("à la Maison Blanche", "at the White House")."""
    if not any(c.kind == "feature" for c in toponym.candidates):
        return False
    return not _after_locative_word(doc, toponym.token_start, lexicon(lang).locative)


def locate_places(doc: Doc, *, lang: str, actors: Sequence[Actor] = ()) -> tuple[Place, ...]:
    """The places of an article, in text order, each resolved to one gazetteer entry when known."""
    if doc._.veille_places is None:  # parsed without the veille_places component
        recognizer(lang)(doc)
    toponyms = [t for t in doc._.veille_places if not _named_actor(doc, t, actors, lang)]
    ranked = rank(
        [t.candidates for t in toponyms],
        names=[t.text for t in toponyms],
        context_countries=_context(doc, actors),
        qualifiers=_qualifiers(doc, toponyms),
        divisions=[i for i, t in enumerate(toponyms) if _named_as_division(doc, t, lang)],
    )
    places: list[Place] = []
    for toponym, choice in zip(toponyms, ranked, strict=True):
        c = choice.candidate
        if c is None:
            if _topic_label(doc, toponym):
                continue
            # A location the NER found but the gazetteer does not know: kept, unresolved.
            places.append(
                Place(
                    text=toponym.text,
                    start=toponym.start,
                    end=toponym.end,
                    name=toponym.text,
                    kind=None,
                    confidence=0.4,
                )
            )
            continue
        kind = toponym.kind_hint or c.kind
        places.append(
            Place(
                text=toponym.text,
                start=toponym.start,
                end=toponym.end,
                name=c.name,
                country=c.country,
                lat=round(c.lat, 5) if c.lat is not None else None,
                lon=round(c.lon, 5) if c.lon is not None else None,
                geonameid=c.geonameid,
                kind=kind,
                admin1=c.admin1 if kind in {"city", "admin1"} else None,
                confidence=round(choice.confidence * (0.8 if toponym.source == "phrase" else 1.0), 3),
            )
        )
    return tuple(places)


def _topic_label(doc: Doc, toponym: Toponym) -> bool:
    """ "Nucléaire : Téhéran rejette …": a word that opens a line and ends before a colon labels the
    topic of a headline; the tagger may take it for a location, the gazetteer knows no such place."""
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, toponym.start) + 1
    after = text[toponym.end : toponym.end + 4].lstrip(" \u00a0")
    return not text[line_start : toponym.start].strip() and after.startswith(":")


def place_for_span(places: Sequence[Place], start: int, end: int) -> Place | None:
    """The place whose span overlaps ``[start, end)`` the most (None if none does)."""
    best: Place | None = None
    best_overlap = 0
    for place in places:
        overlap = min(end, place.end) - max(start, place.start)
        if overlap > best_overlap:
            best, best_overlap = place, overlap
    return best


def _locative(token: Token, lang: str) -> bool:
    """Whether the place word ``token`` is introduced by a locative preposition (à, in, near)."""
    words = lexicon(lang).locative
    for child in token.children:
        if child.dep_ in {"case", "mark"} and child.lower_ in words:
            return True
    head = token.head
    if token.dep_ == "pobj" and head.lower_ in words:
        return True
    return _after_locative_word(token.doc, token.i, words)


def _after_locative_word(doc: Doc, i: int, words: frozenset[str]) -> bool:
    """Whether the word or two words before token ``i`` (past its articles) are locative."""
    # "à la Biélorussie": the preposition comes before the article.
    while i > 0 and doc[i - 1].pos_ == "DET":
        i -= 1
    prev1 = doc[i - 1].lower_ if i >= 1 else ""
    prev2 = f"{doc[i - 2].lower_} {prev1}" if i >= 2 else ""
    return prev1 in words or prev2 in words


def _places_by_token(doc: Doc, places: Sequence[Place]) -> dict[int, Place]:
    out: dict[int, Place] = {}
    for place in places:
        span = char_span(doc, place.start, place.end, alignment_mode="expand")
        if span is not None:
            for token in span:
                out[token.i] = place
    return out


def place_of_predicate(
    doc: Doc, token_index: int, places: Sequence[Place], *, lang: str | None = None
) -> Place | None:
    """Where the event of the predicate at ``token_index`` happens.

    First a place in the predicate's own clause introduced by a locative preposition ("a effectué
    une visite à Minsk", "was killed in Baghdad"), nearest first; then a place so introduced
    elsewhere in its sentence; then the most specific place of the sentence if there is only one.
    """
    language = lang or doc.lang_ or "en"
    by_token = _places_by_token(doc, places)
    if not by_token:
        return None
    predicate = doc[token_index]
    # Breadth-first through the clause, without entering subordinate or coordinated clauses.
    frontier: list[tuple[Token, int]] = [(predicate, 0)]
    found: list[tuple[int, int, Place]] = []
    seen = {predicate.i}
    while frontier:
        token, depth = frontier.pop(0)
        if token.i in by_token and _locative(token, language):
            found.append((depth, abs(token.i - predicate.i), by_token[token.i]))
        if depth >= 4:
            continue
        for child in token.children:
            if child.i not in seen and (child.dep_ not in _CLAUSE_DEPS or child.i in by_token):
                seen.add(child.i)
                frontier.append((child, depth + 1))
    if found:
        return min(found, key=lambda f: (f[0], f[1]))[2]
    sentence = predicate.sent
    in_sentence = sorted(
        {
            (abs(i - predicate.i), i): p for i, p in by_token.items() if sentence.start <= i < sentence.end
        }.items()
    )
    located = [p for (_, i), p in in_sentence if _locative(doc[i], language)]
    if located:
        return located[0]
    distinct = {p.start: p for _, p in in_sentence}
    if len(distinct) == 1:
        return next(iter(distinct.values()))
    return None


def event_place(place: Place | None) -> EventPlace | None:
    """The ``events[].place`` record of a place."""
    if place is None:
        return None
    return EventPlace(
        name=place.name, country=place.country, lat=place.lat, lon=place.lon, geonameid=place.geonameid
    )


def action_geo(place: Place | None) -> dict[str, Any]:
    """GDELT 2.0 ActionGeo_* fields of a place (Type 0 and empty fields when there is none).

    Type: 1 country, 2 US state, 3 US city, 4 world city (and other points: seas, features),
    5 world state (first-level division); regions and continents without a country are 0.
    CountryCode is FIPS 10-4 and ADM1Code is FIPS country + admin1 code ("USTX", "IZ07"), as in
    GDELT; FeatureID is the GeoNames id (GDELT uses GNS/GNIS ids; GeoNames is what veille has),
    or the FIPS country code for a country, as GDELT does.
    """
    empty: dict[str, Any] = {
        "ActionGeo_Type": 0,
        "ActionGeo_FullName": "",
        "ActionGeo_CountryCode": "",
        "ActionGeo_ADM1Code": "",
        "ActionGeo_ADM2Code": "",
        "ActionGeo_Lat": None,
        "ActionGeo_Long": None,
        "ActionGeo_FeatureID": "",
    }
    if place is None or (place.country is None and place.lat is None):
        return empty
    fips = fips_code(place.country) or ""
    country_name = _countries().get(place.country or "", {}).get("name", "")
    admin1 = place.admin1
    admin1_name = _admin1_names().get((place.country or "", admin1 or ""), "")
    kind = place.kind or ""
    if kind in {"country", "border"}:
        geo_type, full, feature = 1, country_name, fips
        admin1 = None
    elif kind == "admin1":
        geo_type = 2 if place.country == "US" else 5
        full, feature = ", ".join(x for x in (place.name, country_name) if x), str(place.geonameid or "")
    elif place.country is None:
        geo_type, full, feature = 0, place.name, ""
    else:
        geo_type = 3 if (place.country == "US" and kind == "city") else 4
        full = ", ".join(x for x in (place.name, admin1_name, country_name) if x)
        feature = str(place.geonameid or "")
    return {
        **empty,
        "ActionGeo_Type": geo_type,
        "ActionGeo_FullName": full,
        "ActionGeo_CountryCode": fips,
        "ActionGeo_ADM1Code": f"{fips}{admin1}" if admin1 and fips else fips,
        "ActionGeo_Lat": place.lat,
        "ActionGeo_Long": place.lon,
        "ActionGeo_FeatureID": feature,
    }
