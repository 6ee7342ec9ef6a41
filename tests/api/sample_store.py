"""Stores for the API and browser tests: hand-made analyses (no spaCy) and, optionally, the demo corpus.

Two hand-made articles are written with :meth:`Store.write`:

- an events article (actors, events with places and dates, a quote, a denied claim) so that event
  filters, the timeline, the map and the network have data whatever the event coder produces;
- an article whose title, outlet, text, quote, actor and claim carry HTML/script payloads, which
  every page must show as inert text.

The demo store (``ingest_demo``: the seed page and the sample corpus, analysed for real) is built
once per test session and shared by the API and e2e tests through the session's base temp folder.
"""

from __future__ import annotations

import hashlib

import pytest

from veille.models import (
    Actor,
    Analysis,
    Article,
    Claim,
    ClaimEvidence,
    DateMention,
    Event,
    EventActor,
    EventPlace,
    Evidence,
    Place,
    Published,
    Quote,
    Speaker,
)
from veille.store import SourceInfo, Store

TOKEN = "test-token-0123456789"  # the API token of the test apps that may write

EVENTS_TEXT = (
    "Le ministre lituanien des Affaires étrangères s'est rendu mardi à Vilnius pour rencontrer son "
    "homologue letton. Le même jour, la Lettonie a accusé la Russie de violer son espace aérien près "
    "de Riga. « Nous ne céderons pas », a déclaré le ministre letton. Selon une chaîne anonyme, la "
    "Lettonie fermerait sa frontière, ce que le gouvernement letton a démenti : « c'est faux »."
)

XSS_TEXT = (
    "Un article piégé <script>window.__pwned = 1; alert('xss')</script> cite un lien "
    '<img src=x onerror="window.__pwned = 2"> et un dessin "><svg onload=alert(3)>.\n\n'
    "Le porte-parole <b>Jean Piège</b> a déclaré : « <script>alert(4)</script> est inoffensif ». "
    "Selon un blog, Tallinn aurait signé un accord <iframe src=javascript:alert(5)>, ce que le "
    "ministère a démenti."
)


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _evidence(text: str, needle: str) -> Evidence:
    start, end = at(text, needle)
    return Evidence(start=start, end=end, text=needle)


def _claim_evidence(text: str, needle: str, role: str) -> ClaimEvidence:
    start, end = at(text, needle)
    return ClaimEvidence(start=start, end=end, text=needle, role=role)


def _actor(text: str, needle: str, name: str, code: str, country: str | None) -> Actor:
    start, end = at(text, needle)
    return Actor(text=needle, start=start, end=end, name=name, code=code, country=country)


def _place(text: str, needle: str, name: str, country: str, lat: float, lon: float) -> Place:
    start, end = at(text, needle)
    return Place(text=needle, start=start, end=end, name=name, country=country, lat=lat, lon=lon, kind="city")


def events_analysis() -> Analysis:
    t = EVENTS_TEXT
    vilnius = EventPlace(name="Vilnius", country="LT", lat=54.69, lon=25.28)
    riga = EventPlace(name="Riga", country="LV", lat=56.95, lon=24.11)
    denial_start, denial_end = at(t, "c'est faux")
    quote_start, quote_end = at(t, "Nous ne céderons pas")
    s_start, s_end = at(t, "le ministre letton")
    return Analysis(
        veille_version="test",
        article=Article(
            id="sample-events",
            url="https://baltic.example/2021/03/02/visite",
            title="Visite à Vilnius, tension à Riga",
            language="fr",
            published=Published(date="2021-03-02", source="metadata"),
            text=t,
            source="Baltic Sample",
        ),
        dates=(
            DateMention(
                text="mardi", start=at(t, "mardi")[0], end=at(t, "mardi")[1], type="date", value="2021-03-02"
            ),
        ),
        actors=(
            _actor(t, "Le ministre lituanien des Affaires étrangères", "ministre lituanien", "LTUGOV", "LTU"),
            _actor(t, "son homologue letton", "ministre letton", "LVAGOV", "LVA"),
            _actor(t, "la Lettonie", "Latvia", "LVA", "LVA"),
            _actor(t, "la Russie", "Russia", "RUS", "RUS"),
        ),
        places=(
            _place(t, "Vilnius", "Vilnius", "LT", 54.69, 25.28),
            _place(t, "Riga", "Riga", "LV", 56.95, 24.11),
        ),
        events=(
            Event(
                id="e1",
                cameo="042",
                plover="CONSULT",
                source=EventActor(text="Le ministre lituanien", code="LTUGOV"),
                target=EventActor(text="son homologue letton", code="LVAGOV"),
                date="2021-03-02",
                place=vilnius,
                confidence=0.8,
                evidence=_evidence(t, "s'est rendu mardi à Vilnius pour rencontrer son homologue letton"),
            ),
            Event(
                id="e2",
                cameo="112",
                plover="ACCUSE",
                source=EventActor(text="la Lettonie", code="LVA"),
                target=EventActor(text="la Russie", code="RUS"),
                date="2021-03-02",
                place=riga,
                confidence=0.7,
                evidence=_evidence(t, "la Lettonie a accusé la Russie de violer son espace aérien"),
            ),
            Event(
                id="e3",
                cameo="192",
                plover="ASSAULT",
                source=EventActor(text="la Lettonie", code="LVA"),
                target=None,
                date="2021-02-27",
                place=riga,
                modality="claimed",
                claim_id="c1",
                confidence=0.5,
                evidence=_evidence(t, "la Lettonie fermerait sa frontière"),
            ),
        ),
        quotes=(
            Quote(
                id="q1",
                quote="Nous ne céderons pas",
                start=quote_start,
                end=quote_end,
                type="direct",
                speaker=Speaker(name="ministre letton", code="LVAGOV", start=s_start, end=s_end),
                verb="déclarer",
                evidence=_evidence(t, "« Nous ne céderons pas », a déclaré le ministre letton"),
            ),
        ),
        claims=(
            Claim(
                id="c1",
                text="la Lettonie fermerait sa frontière",
                origin="une chaîne anonyme",
                chain=("une chaîne anonyme",),
                status="denied",
                by="le gouvernement letton",
                evidence=(
                    _claim_evidence(t, "une chaîne anonyme", "origin"),
                    _claim_evidence(t, "la Lettonie fermerait sa frontière", "content"),
                    ClaimEvidence(start=denial_start, end=denial_end, text="c'est faux", role="denial"),
                ),
            ),
        ),
    )


def xss_analysis() -> Analysis:
    t = XSS_TEXT
    script = "<script>window.__pwned = 1; alert('xss')</script>"
    img = '<img src=x onerror="window.__pwned = 2">'
    quote_text = "<script>alert(4)</script> est inoffensif"
    q_start, q_end = at(t, quote_text)
    sp_start, sp_end = at(t, "<b>Jean Piège</b>")
    return Analysis(
        veille_version="test",
        article=Article(
            id="sample-xss",
            url="javascript:alert('url')",
            title="<script>window.__pwned = 3</script>Titre <img src=x onerror=alert(6)> piégé",
            language="fr",
            published=Published(date="2021-03-03", source="user"),
            text=t,
            source="<i onmouseover=alert(7)>Outlet</i>",
        ),
        actors=(_actor(t, "<b>Jean Piège</b>", "<b>Jean Piège</b>", "EST<GOV", "EST"),),
        places=(_place(t, "Tallinn", "Tallinn <script>alert(8)</script>", "EE", 59.44, 24.75),),
        events=(
            Event(
                id="e1",
                cameo="010",
                source=EventActor(text="<b>Jean Piège</b>", code="ESTGOV"),
                date="2021-03-03",
                place=EventPlace(
                    name="Tallinn <img src=x onerror=alert(9)>", country="EE", lat=59.44, lon=24.75
                ),
                confidence=0.6,
                evidence=_evidence(t, img),
            ),
        ),
        quotes=(
            Quote(
                id="q1",
                quote=quote_text,
                start=q_start,
                end=q_end,
                type="direct",
                speaker=Speaker(name="<b>Jean Piège</b>", start=sp_start, end=sp_end),
                verb="déclarer",
                evidence=_evidence(t, quote_text),
            ),
        ),
        claims=(
            Claim(
                id="c1",
                text="Tallinn aurait signé un accord <iframe src=javascript:alert(5)>",
                origin="un blog <script>alert(10)</script>",
                chain=("un blog <script>alert(10)</script>",),
                status="denied",
                by="le ministère",
                evidence=(
                    _claim_evidence(t, script, "content"),
                    _claim_evidence(t, "ce que le ministère a démenti", "denial"),
                ),
            ),
        ),
    )


def write_samples(store: Store) -> dict[str, int]:
    """Write the two hand-made articles; ``{"events": id, "xss": id}``."""
    ids = {}
    for name, analysis in (("events", events_analysis()), ("xss", xss_analysis())):
        digest = hashlib.sha256(analysis.article.text.encode()).hexdigest()
        written = store.write(
            analysis, SourceInfo(key=f"test:{name}", content_hash=digest, url=analysis.article.url)
        )
        assert written.article_id is not None
        ids[name] = written.article_id
    store.relink(force=True)
    return ids


def build_sample_store(url: str) -> dict[str, int]:
    with Store.open(url) as store:
        return write_samples(store)


def demo_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, int]]:
    """The demo corpus plus the hand-made articles, built once per session (shared by test folders)."""
    from veille.store.demo import ingest_demo

    folder = tmp_path_factory.getbasetemp() / "veille-web-store"
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    done = folder / "ids.txt"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        ingest_demo(url)
        ids = build_sample_store(url)
        done.write_text(f"{ids['events']} {ids['xss']}")
    events_id, xss_id = (int(v) for v in done.read_text().split())
    return url, {"events": events_id, "xss": xss_id}


def seed_article_id(url: str) -> int:
    """The store id of the project's seed page in the demo store."""
    from sqlalchemy import select

    from veille.store.schema import ArticleRow

    with Store.open(url) as store, store.read() as conn:
        found = conn.execute(select(ArticleRow.id).where(ArticleRow.source_key.like("%seed-000_%"))).scalar()
    assert found is not None, "the demo corpus has no seed page"
    return int(found)


def thread_of_read(db_url: str) -> tuple[int, int]:
    """``(thread that ran the store read of read_json, thread of the event loop)`` over ``db_url``."""
    import asyncio
    import threading

    from veille.api.answers import JsonShape, read_json
    from veille.api.app import create_app

    ctx = create_app(db_url=db_url, web=False).state.veille
    seen: list[int] = []

    def read(_conn: object) -> int:
        seen.append(threading.get_ident())
        return 1

    async def main() -> int:
        await read_json(ctx, JsonShape(int), read)
        return threading.get_ident()

    try:
        loop_thread = asyncio.run(main())
    finally:
        ctx.store.close()
    return seen[0], loop_thread
