"""``code_events`` on the seed page with hand-built actor, date, place and claim records.

The records are built here from the seed text (offsets found by search), so these tests measure the
event coder alone, whatever the state of the actor, date, place and claim components. The seed page
is read from ../shared/seed (it ships as demo data); the tests skip when it is absent.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from veille.annotate.nlp import load_base
from veille.interpret.events import code_events
from veille.models import Actor, Claim, ClaimEvidence, DateMention, Event, Place
from veille.settings import Settings

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "000_d4915bc04119538f.txt"
PUBLISHED = dt.date(2020, 2, 4)


def seed_text() -> str:
    """The article body: the page cut before its comment box, without breadcrumb and heading."""
    if not SEED.is_file():
        pytest.skip(f"seed page not found at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    text = text[: text.index("Laisser un commentaire")]
    return text.split("\n", 2)[2].strip()


def spans(text: str, phrase: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text)]


ACTORS = [
    ("Mike Pompeo", "USAGOV"),
    ("Biélorussie", "BLR"),
    ("Donald Trump", "USAGOV"),
    ("Emmanuel Macron", "FRAGOV"),
    ("États-Unis", "USA"),
    ("forces américaines", "USAMIL"),
    ("Soleimani", "IRNMIL"),
    ("Alexandre Fomin", "RUSMIL"),
    ("Kazem Jalali", "IRNGOV"),
    ("OTAN", "IGOWSTNAT"),
    ("Russie", "RUS"),
    ("Jens Stoltenberg", "IGOWSTNAT"),
]
DATES = [
    ("il y a trois jours", "2020-02-01"),
    ("ce lundi", "2020-02-03"),
    ("le 3 janvier", "2020-01-03"),
    ("En novembre dernier", "2019-11"),
    ("ce mardi 4 février", "2020-02-04"),
]
PLACES = [("Minsk", "BY"), ("Moscou", "RU"), ("Bagdad", "IQ"), ("Téhéran", "IR")]


def records(text: str) -> tuple[list[Actor], list[DateMention], list[Place]]:
    actors = [
        Actor(text=phrase, start=s, end=e, name=phrase, code=code, country=code[:3])
        for phrase, code in ACTORS
        for s, e in spans(text, phrase)
    ]
    dates = [
        DateMention(text=phrase, start=s, end=e, type="date", value=value)
        for phrase, value in DATES
        for s, e in spans(text, phrase)
    ]
    places = [
        Place(text=phrase, start=s, end=e, name=phrase, country=cc, kind="city")
        for phrase, cc in PLACES
        for s, e in spans(text, phrase)
    ]
    return actors, dates, places


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = load_base(Settings().models["fr"])
    pipeline.add_pipe("veille_events")
    return pipeline


@pytest.fixture(scope="module")
def seed_doc(nlp: Language) -> Doc:
    return nlp(seed_text())


@pytest.fixture(scope="module")
def seed_events(seed_doc: Doc) -> tuple[Event, ...]:
    actors, dates, places = records(seed_doc.text)
    return code_events(seed_doc, actors=actors, dates=dates, places=places, claims=(), published=PUBLISHED)


def find(
    events: tuple[Event, ...], src: str, tgt: str | None, roots: tuple[str, ...], date: str | None
) -> Event:
    """The first factual event matching the seed checker's rule (../shared/tools/check_seed.py)."""
    for e in events:
        if e.modality == "claimed" or e.negated:
            continue
        s = (e.source.code if e.source else None) or ""
        t = (e.target.model_dump_json() if e.target else "").lower()
        if not s.startswith(src) or e.cameo[:2] not in roots:
            continue
        if tgt is not None and tgt.lower() not in t:
            continue
        if date is not None and not (e.date or "").startswith(date):
            continue
        return e
    raise AssertionError(
        f"no {src}->{tgt} {roots} {date} event in {[(e.cameo, e.source, e.target) for e in events]}"
    )


def test_pompeo_visits_belarus(seed_events: tuple[Event, ...]) -> None:
    e = find(seed_events, "USA", "BLR", ("04",), "2020-02-01")
    assert e.cameo == "042" and e.plover == "CONSULT"
    assert e.place is not None and e.place.name == "Minsk"
    assert e.modality == "asserted" and e.quad_class == 1 and e.goldstein == 1.9
    assert "Minsk" in e.evidence.text and e.trigger == "visite"


def test_fomin_hosts_jalali(seed_events: tuple[Event, ...]) -> None:
    e = find(seed_events, "RUS", "IRN", ("04",), "2020-02-03")
    assert e.cameo == "043"
    assert e.place is not None and e.place.name == "Moscou"


def test_pair_anaphor_takes_the_parties_of_the_previous_event(seed_events: tuple[Event, ...]) -> None:
    talks = [e for e in seed_events if e.trigger == "entretenus"]
    pairs = {(e.source.code if e.source else None, e.target.code if e.target else None) for e in talks}
    assert pairs == {("RUSMIL", "IRNGOV"), ("IRNGOV", "RUSMIL")}


def test_usa_assassinates_soleimani(seed_events: tuple[Event, ...]) -> None:
    e = find(seed_events, "USA", "IRN", ("18", "19"), "2020-01-03")
    assert e.cameo == "186" and e.plover == "ASSAULT" and e.quad_class == 4
    assert e.place is not None and e.place.name == "Bagdad"


def test_macron_criticizes_nato_in_november(seed_events: tuple[Event, ...]) -> None:
    e = find(seed_events, "FRA", None, ("11", "12"), "2019-11")
    assert e.cameo == "111"


def test_trump_criticizes_the_europeans(seed_events: tuple[Event, ...]) -> None:
    e = find(seed_events, "USA", "europ", ("11", "12"), None)
    assert e.date == "2020-02-04"  # no date in its clause: the publication date, with lower confidence
    assert e.confidence < 0.75


def test_us_troops(seed_events: tuple[Event, ...]) -> None:
    e = find(seed_events, "USA", None, ("15",), None)
    assert e.cameo == "154" and e.plover == "MOBILIZE"
    intended = [x for x in seed_events if x.cameo == "154" and x.trigger == "envoyer"]
    assert intended and intended[0].modality == "intended"


def test_nothing_factual_about_the_training_centre(seed_events: tuple[Event, ...]) -> None:
    assert all(e.modality == "claimed" for e in seed_events if "centre de formation" in e.evidence.text)


def test_ids_are_stable_and_distinct(seed_doc: Doc, seed_events: tuple[Event, ...]) -> None:
    actors, dates, places = records(seed_doc.text)
    again = code_events(seed_doc, actors=actors, dates=dates, places=places, claims=(), published=PUBLISHED)
    assert [e.id for e in again] == [e.id for e in seed_events]
    assert len({e.id for e in seed_events}) == len(seed_events)


def test_evidence_is_a_span_of_the_text(seed_doc: Doc, seed_events: tuple[Event, ...]) -> None:
    for e in seed_events:
        assert seed_doc.text[e.evidence.start : e.evidence.end] == e.evidence.text
        assert e.trigger is not None and e.trigger in e.evidence.text


def test_event_inside_an_unverified_claim_is_claimed(seed_doc: Doc) -> None:
    text = seed_doc.text
    actors, dates, places = records(text)
    start = text.index("le secrétaire d’État américain")
    end = text.index("anciennes républiques soviétiques")
    claim = Claim(
        id="c1",
        text="Pompeo visited Minsk",
        status="unverified",
        evidence=(ClaimEvidence(start=start, end=end, text=text[start:end], role="statement"),),
    )
    events = code_events(
        seed_doc, actors=actors, dates=dates, places=places, claims=(claim,), published=PUBLISHED
    )
    visit = next(e for e in events if e.cameo == "042" and e.trigger == "visite")
    assert visit.modality == "claimed" and visit.claim_id == "c1"
    denial = claim.model_copy(update={"evidence": (claim.evidence[0].model_copy(update={"role": "denial"}),)})
    events = code_events(
        seed_doc, actors=actors, dates=dates, places=places, claims=(denial,), published=PUBLISHED
    )
    visit = next(e for e in events if e.cameo == "042" and e.trigger == "visite")
    assert visit.modality == "asserted" and visit.claim_id is None  # a denial's words are not the claim


def test_no_actor_no_event(seed_doc: Doc) -> None:
    assert code_events(seed_doc, actors=(), dates=(), places=(), claims=(), published=None) == ()


def test_pronoun_takes_the_nearest_actor_before_it(nlp: Language) -> None:
    text = "Le président du Ghana est arrivé hier. Il a rencontré le roi du Maroc."
    doc = nlp(text)
    (gs, ge), (ms, me) = spans(text, "président du Ghana")[0], spans(text, "roi du Maroc")[0]
    actors = [
        Actor(text=text[gs:ge], start=gs, end=ge, name="Ghana president", code="GHAGOV"),
        Actor(text=text[ms:me], start=ms, end=me, name="Moroccan king", code="MARGOV"),
    ]
    events = code_events(doc, actors=actors, dates=(), places=(), claims=(), published=None)
    meet = next(e for e in events if e.cameo == "040")
    assert meet.source is not None and meet.source.code == "GHAGOV"
    assert meet.target is not None and meet.target.code == "MARGOV"
    assert meet.date is None


def test_country_of_a_bombed_city_is_the_target(nlp: Language) -> None:
    text = "L'armée a bombardé la ville de Homs."
    doc = nlp(text)
    s, e = spans(text, "L'armée")[0]
    h, k = spans(text, "Homs")[0]
    events = code_events(
        doc,
        actors=[Actor(text="L'armée", start=s, end=e, name="army", code="SYRMIL")],
        dates=(),
        places=[Place(text="Homs", start=h, end=k, name="Homs", country="SY", kind="city")],
        claims=(),
        published=dt.date(2024, 1, 2),
    )
    strike = next(x for x in events if x.cameo.startswith("19"))
    assert strike.target is not None and strike.target.code == "SYR"
    assert strike.date == "2024-01-02"


def _event(ident: str, start: int, end: int, source: str | None, target: str | None) -> Event:
    from veille.models import EventActor, Evidence

    def party(code: str | None) -> EventActor | None:
        return EventActor(text=code, code=code) if code else None

    return Event(
        id=ident,
        cameo="042",
        source=party(source),
        target=party(target),
        confidence=0.8,
        evidence=Evidence(start=start, end=end, text="x" * (end - start)),
    )


def test_an_event_missing_a_party_gives_way_to_the_full_one_of_the_same_clause() -> None:
    from veille.interpret.events import _partial_copy

    full = _event("e1", 10, 60, "USAGOV", "BLR")
    partial = _event("e2", 10, 40, "USAGOV", None)
    elsewhere = _event("e3", 100, 140, "USAGOV", None)  # another sentence: kept
    other_source = _event("e4", 10, 40, "RUS", None)  # another party: kept
    events = [full, partial, elsewhere, other_source]
    assert [e.id for e in events if not _partial_copy(e, events)] == ["e1", "e3", "e4"]


def test_an_event_found_by_its_verb_and_its_noun_is_told_once() -> None:
    # "a décrété des sanctions": the verb frame and the noun both give 163 with the same parties.
    from veille.ingest.raw import RawDocument
    from veille.pipeline import analyze

    text = "Tokyo a décrété des sanctions contre Pyongyang après le tir d'un missile."
    result = analyze(RawDocument(source="t", text=text, meta={"lang": "fr", "published": "2024-03-15"}))
    sanctions = [e for e in result.events if e.cameo == "163"]
    assert [(e.source and e.source.code, e.target and e.target.code) for e in sanctions] == [("JPN", "PRK")]


def test_the_surer_of_two_identical_events_of_a_clause_stays() -> None:
    from veille.interpret.events import _told_twice

    verb = _event("e1", 10, 60, "USA", "PRK")
    noun = _event("e2", 10, 60, "USA", "PRK").model_copy(update={"confidence": 0.6})
    again = _event("e3", 10, 60, "USA", "PRK")  # as sure as the first: the first stays
    other = _event("e4", 100, 160, "USA", "PRK")  # another sentence: kept
    events = [noun, verb, again, other]
    assert [x.id for i, x in enumerate(events) if not _told_twice(i, events)] == ["e1", "e4"]


def test_an_evening_or_a_night_dates_the_event_on_its_day(nlp: Language) -> None:
    # "samedi soir" is a datetime range: its day, not another date of the sentence, is the event's.
    text = "L'armée a bombardé la ville de Homs samedi soir, deux jours après l'annonce faite jeudi."
    doc = nlp(text)
    s, e = spans(text, "L'armée")[0]
    (sat,) = spans(text, "samedi soir")
    (thu,) = spans(text, "jeudi")
    dates = [
        DateMention(text="samedi soir", start=sat[0], end=sat[1], type="datetimerange",
                    range=("2024-01-06T18:00:00", "2024-01-06T23:00:00")),
        DateMention(text="jeudi", start=thu[0], end=thu[1], type="date", value="2024-01-04"),
    ]  # fmt: skip
    events = code_events(
        doc,
        actors=[Actor(text="L'armée", start=s, end=e, name="army", code="SYRMIL")],
        dates=dates,
        places=(),
        claims=(),
        published=dt.date(2024, 1, 7),
    )
    strike = next(x for x in events if x.cameo.startswith("19"))
    assert strike.date == "2024-01-06"


def test_an_apposition_read_as_a_second_subject_keeps_the_event_that_names_a_country() -> None:
    from veille.interpret.events import _apposed_copy
    from veille.models import EventActor

    def at(event: Event, code: str | None, start: int, end: int) -> Event:
        return event.model_copy(update={"source": EventActor(text="x", code=code, start=start, end=end)})

    # "Le général X, chef de l'armée soudanaise, a accusé …": "---MIL" at 0-30, "SDNMIL" at 32-60.
    general = at(_event("e1", 0, 120, None, "SDNREB"), "---MIL", 0, 30)
    chief = at(_event("e2", 0, 120, None, "SDNREB"), "SDNMIL", 32, 60)
    # "Le Kenya, l'Ouganda et …": a list of coded parties keeps every event.
    kenya = at(_event("e3", 200, 300, None, "SOM"), "KEN", 200, 208)
    uganda = at(_event("e4", 200, 300, None, "SOM"), "UGA", 210, 220)
    events = [general, chief, kenya, uganda]
    assert [e.id for e in events if not _apposed_copy(e, events)] == ["e2", "e3", "e4"]


def _parties(text: str, code: str) -> list[tuple[str | None, str | None, str | None, str | None]]:
    from veille.ingest.raw import RawDocument
    from veille.pipeline import analyze

    result = analyze(RawDocument(source="t", text=text, meta={"lang": "fr", "published": "2024-03-15"}))
    return [
        (
            e.source and e.source.code,
            e.source and e.source.text,
            e.target and e.target.code,
            e.target and e.target.text,
        )
        for e in result.events
        if e.cameo.startswith(code)
    ]


def test_an_acronym_the_tagger_takes_for_a_pronoun_is_still_a_name() -> None:
    from veille.annotate.events import ArgSpan
    from veille.interpret.event_context import resolve

    # "Les FSR ont attaqué la ville.": the tagger may read "FSR" as a pronoun ("les trois").
    fsr = ArgSpan(start=0, end=7, text="Les FSR", head_start=4, head_end=7, role="subj", pronoun=True)
    kenya = Actor(text="Kenya", start=-60, end=-55, name="Kenya", code="KEN")
    actors = [kenya, Actor(text="FSR", start=4, end=7, name="FSR", code="SDNUAF")]
    found = resolve(fsr, (), actors=actors, places=(), as_place=False, avoid=None)
    assert found is not None and found.code == "SDNUAF"
    # A real pronoun still takes the actor before it.
    they = ArgSpan(start=0, end=3, text="Ils", head_start=0, head_end=3, role="subj", pronoun=True)
    found = resolve(they, (), actors=[kenya], places=(), as_place=False, avoid=None)
    assert found is not None and found.code == "KEN"


def test_a_target_phrase_keeps_its_quotation_marks_and_hyphenated_names() -> None:
    (condemned,) = _parties("Human Rights Watch a condamné une « répression brutale ».", "11")
    assert condemned[3] == "une « répression brutale »"
    (attack,) = _parties("Les FSR ont attaqué El-Facher.", "19")  # the parser made "-" the head
    assert attack[3] == "El-Facher"


def test_a_first_person_pronoun_in_a_quotation_is_its_speaker() -> None:
    said = "« Nous avons frappé des positions ennemies », a déclaré le ministère russe de la Défense."
    assert ("RUSGOVMIL", "ministère russe de la Défense") in [(p[0], p[1]) for p in _parties(said, "19")]
    # An uncoded speaker leaves "Nous" uncoded: not the country named just before.
    text = (
        "Le Qatar a salué les discussions.\n\n"
        "« Nous signerons l'accord avec Israël », a déclaré Karim Benali, un responsable du mouvement."
    )
    assert [p[0] for p in _parties(text, "057")] == [None]


def test_a_subject_pronoun_takes_the_source_of_the_event_before() -> None:
    from veille.ingest.raw import RawDocument
    from veille.pipeline import analyze

    text = (
        "Opposition leader Raila Odinga accused the government of ignoring young Kenyans. "
        "He denied claims that his party had organised the protests."
    )
    result = analyze(RawDocument(source="t", text=text, meta={"lang": "en", "published": "2024-06-26"}))
    (denial,) = [e for e in result.events if e.cameo == "016"]
    assert denial.source is not None and denial.source.code == "KENOPP"  # not "Kenyans" (KEN)


def test_a_subject_pronoun_takes_the_subject_of_a_sentence_that_coded_no_event() -> None:
    # The sentence about the Finnish president codes no event (an inauguration); "Il" is
    # still him, not the ministry whose event came two sentences before.
    text = (
        "Le ministère russe de la Défense a accusé l'Ukraine de préparer une provocation. "
        "Le président finlandais Alexander Stubb a inauguré une usine de munitions près de Tampere. "
        "Il doit rencontrer le chancelier allemand la semaine prochaine à Berlin."
    )
    meeting = [p for p in _parties(text, "04")]
    assert meeting and meeting[0][0] == "FINGOV"


def test_an_adjective_of_nationality_is_the_doer_of_a_nominal_event() -> None:
    # "des frappes turques": no actor is named, the adjective says whose strikes they are.
    assert [p[0] for p in _parties("Des frappes turques ont touché le nord de l'Irak.", "19")] == ["TUR"]


def test_a_subject_pronoun_after_a_quotation_is_its_speaker() -> None:
    text = (
        "Le président sénégalais a déclaré : « Le Mali doit revenir à la table des négociations. » "
        "Il a ensuite remercié le Maroc pour sa médiation."
    )
    thanks = [p for p in _parties(text, "051")]
    assert thanks and thanks[0][0] == "SENGOV"  # not Mali, named last inside the quotation
