"""Claim echoes: an outlet repeating as fact, in its own voice, a claim reported and denied elsewhere."""

from __future__ import annotations

from sqlalchemy import func, select
from store_fakes import analysis, event, span

from veille.api.schemas.claims import ClaimDetailOut
from veille.models import Analysis, Claim, ClaimEvidence
from veille.store import SourceInfo, Store, content_hash
from veille.store.claim_echo_tables import AssertedStatement, ClaimEcho
from veille.store.claim_echo_text import asserted_sentences, is_hedged, sentence_spans
from veille.store.console import render_summary
from veille.store.queries import claim_summaries, summary
from veille.store.read_claims import claim_detail

# Article 1: a rumour relayed from an anonymous channel, then denied by the mayor.
RUMOUR = (
    "Selon une chaîne anonyme, la mairie de Lyon aurait vendu le stade municipal à un fonds qatari "
    "pour deux cents millions d'euros. « Ces informations sont fausses », a répondu le maire jeudi."
)
CONTENT = (
    "la mairie de Lyon aurait vendu le stade municipal à un fonds qatari pour deux cents millions d'euros"
)
DENIAL = "« Ces informations sont fausses », a répondu le maire jeudi."
# Article 2: the same content stated as fact, then an unrelated sentence.
FACT = (
    "Le marché des clubs s'emballe cette saison. La mairie de Lyon a vendu le stade municipal à un "
    "fonds qatari pour deux cents millions d'euros. Les supporters attendent des précisions."
)
REPEAT = "La mairie de Lyon a vendu le stade municipal à un fonds qatari pour deux cents millions d'euros."
UNRELATED = "La mairie de Lyon a rénové le stade municipal et repeint les tribunes cet été."
NEGATED = (
    "La mairie de Lyon n'a pas vendu le stade municipal à un fonds qatari pour deux cents millions "
    "d'euros, contrairement à ce qui circule."
)


def _rumour_claim() -> Claim:
    start, end = span(RUMOUR, CONTENT)
    d_start, d_end = span(RUMOUR, DENIAL)
    return Claim(
        id="c1",
        text=CONTENT,
        origin="une chaîne anonyme",
        chain=("une chaîne anonyme",),
        status="denied",
        by="le maire",
        evidence=(
            ClaimEvidence(start=start, end=end, text=CONTENT, role="content"),
            ClaimEvidence(start=d_start, end=d_end, text=DENIAL, role="denial"),
        ),
        key="k-stade",
    )


def _rumour(**kwargs: object) -> Analysis:
    return analysis(
        RUMOUR,
        uid="rumour",
        outlet="Rhône Matin",
        published="2021-03-04",
        language="fr",
        claims=[_rumour_claim()],
        **kwargs,  # type: ignore[arg-type]
    )


def _put(store: Store, key: str, a: Analysis) -> None:
    store.write(a, SourceInfo(key=key, content_hash=content_hash(key + a.article.text)))


def _echo_count(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(ClaimEcho)).scalar_one())


def test_denied_claim_repeated_as_fact_is_linked_with_evidence(store: Store) -> None:
    _put(store, "rumour", _rumour())
    _put(
        store, "fact", analysis(FACT, uid="fact", outlet="La Gazette", published="2021-03-05", language="fr")
    )
    stats = store.relink()
    assert stats is not None and stats.links.echoes == 1 and stats.links.contradictions == 1
    with store.read() as conn:
        (claim,) = claim_summaries(conn)
        detail = claim_detail(conn, claim.id)
    assert claim.status == "denied" and claim.contradiction
    assert claim.asserted_by == ["La Gazette"] and claim.num_sources == 2
    assert claim.chain == ["une chaîne anonyme"]
    assert [(v.status, v.by, v.outlet) for v in claim.verdicts] == [("denied", "le maire", "Rhône Matin")]
    assert detail is not None
    (echo,) = detail.echoes
    assert echo.outlet == "La Gazette" and echo.text == REPEAT and echo.basis == "text"
    assert FACT[echo.start : echo.end] == REPEAT
    assert echo.seen.date().isoformat() == "2021-03-05" and echo.similarity >= 0.5
    out = ClaimDetailOut.model_validate(detail).model_dump(mode="json")
    assert out["echoes"][0]["outlet"] == "La Gazette" and out["verdicts"][0]["by"] == "le maire"
    asserter = next(n for n in out["graph"]["nodes"] if n["kind"] == "asserter")
    assert asserter["label"] == "La Gazette" and asserter["article_id"] == echo.article_id
    lines: list[str] = []
    with store.read() as conn:
        render_summary(summary(conn), echo=lines.append)
    text = "\n".join(lines)
    assert "denied by le maire (in Rhône Matin)" in text
    assert "repeated as fact by La Gazette (2021-03-05)" in text


def test_unrelated_and_negated_sentences_are_not_echoes(store: Store) -> None:
    _put(store, "rumour", _rumour())
    _put(store, "other", analysis(UNRELATED, uid="o", outlet="Le Progrès", language="fr"))
    _put(store, "negated", analysis(NEGATED, uid="n", outlet="Lyon Info", language="fr"))
    attributed = "Le quotidien sportif affirme que " + CONTENT[0].lower() + CONTENT[1:] + "."
    _put(store, "attributed", analysis(attributed, uid="t", outlet="Sport Hebdo", language="fr"))
    store.relink()
    with store.read() as conn:
        (claim,) = claim_summaries(conn)
        statements = conn.execute(select(AssertedStatement.text)).scalars().all()
    assert claim.asserted_by == [] and not claim.contradiction and claim.echoes == []
    assert UNRELATED in statements  # asserted, but about something else
    assert not any("n'a pas" in s or "affirme" in s for s in statements)
    assert _echo_count(store) == 0


def test_claim_stored_after_the_echo_is_linked_and_reingest_is_idempotent(store: Store) -> None:
    # The repeating article comes first: the new claim is compared with stored sentences.
    _put(
        store, "fact", analysis(FACT, uid="fact", outlet="La Gazette", published="2021-03-05", language="fr")
    )
    store.relink()
    assert _echo_count(store) == 0
    _put(store, "rumour", _rumour())
    stats = store.relink()
    assert stats is not None and stats.links.echoes == 1
    with store.read() as conn:
        before = conn.execute(select(ClaimEcho.id, ClaimEcho.statement_id, ClaimEcho.claim_id)).all()
        n_statements = conn.execute(select(func.count()).select_from(AssertedStatement)).scalar_one()
    # Same content again: nothing is rewritten, nothing relinked; a forced relink finds nothing new.
    _put(
        store, "fact", analysis(FACT, uid="fact", outlet="La Gazette", published="2021-03-05", language="fr")
    )
    _put(store, "rumour", _rumour())
    assert store.relink() is None
    forced = store.relink(force=True)
    assert forced is not None and forced.links.echoes == 0
    with store.read() as conn:
        after = conn.execute(select(ClaimEcho.id, ClaimEcho.statement_id, ClaimEcho.claim_id)).all()
        assert conn.execute(select(func.count()).select_from(AssertedStatement)).scalar_one() == n_statements
        assert claim_summaries(conn)[0].asserted_by == ["La Gazette"]
    assert after == before
    # The outlet corrects its article: the echo goes, and with it the contradiction.
    _put(
        store,
        "fact",
        analysis(NEGATED, uid="fact", outlet="La Gazette", published="2021-03-06", language="fr"),
    )
    store.relink()
    assert _echo_count(store) == 0
    with store.read() as conn:
        (claim,) = claim_summaries(conn)
    assert claim.asserted_by == [] and not claim.contradiction


def test_an_agreeing_event_links_a_looser_restatement(store: Store) -> None:
    report = "Belgrade officials deny reports that Serbia is buying fighter jets from Russia."
    content = "Serbia is buying fighter jets from Russia"
    start, end = span(report, content)
    denied = Claim(
        id="c1",
        text=content,
        status="denied",
        by="Belgrade officials",
        evidence=(ClaimEvidence(start=start, end=end, text=content, role="content"),),
    )
    tied = event(
        report, content, cameo="061", source="SRB", target="RUS", date=None, modality="claimed", claim_id="c1"
    )
    _put(store, "report", analysis(report, uid="r", outlet="Balkan Desk", claims=[denied], events=[tied]))
    loose = "Serbia is purchasing Russian fighter aircraft to renew its ageing air force."
    coded = event(
        loose, "purchasing Russian fighter aircraft", cameo="061", source="SRBGOV", target="RUS", date=None
    )
    _put(store, "loose", analysis(loose, uid="l", outlet="Air Monthly", events=[coded]))
    plain = "Serbia is purchasing Russian fighter aircraft to renew its ageing air force, again."
    _put(store, "plain", analysis(plain, uid="p", outlet="No Event Daily"))
    store.relink()
    with store.read() as conn:
        (claim,) = claim_summaries(conn)
    assert claim.asserted_by == ["Air Monthly"]  # the same words without the event: too loose
    assert [e.basis for e in claim.echoes] == ["event"] and claim.echoes[0].event_id is not None


def test_sentence_reading_rules() -> None:
    text = "M. Dupont est arrivé. Le centre ouvrira en mai.\n\nU.S. troops left. « Non », dit-il."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "M. Dupont est arrivé.",
        "Le centre ouvrira en mai.",
        "U.S. troops left.",
        "« Non », dit-il.",
    ]
    assert is_hedged("Le centre n'a toujours pas été construit.", "fr")
    assert is_hedged("The base was never built.", "en")
    assert is_hedged("Selon Moscou, le centre est prêt.", "fr")
    assert is_hedged("Le projet aurait été abandonné.", "fr")
    assert not is_hedged("Le centre accueillera des instructeurs étrangers dès le printemps.", "fr")
    found = asserted_sentences(
        "Le centre accueillera des instructeurs étrangers dès le printemps. Il a dit « oui » hier soir.",
        language="fr",
        covered=[(67, 95)],
        events=[],
    )
    assert [s.text for s in found] == ["Le centre accueillera des instructeurs étrangers dès le printemps."]
