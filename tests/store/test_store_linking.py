"""Cross-article linking: same event (root, actors, date ±1 day), same claim, status across outlets."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from store_fakes import analysis, claim, event

from veille.models import Analysis
from veille.store import SourceInfo, Store, content_hash
from veille.store.queries import claim_summaries
from veille.store.records import EventRow
from veille.store.schema import EventCluster, Mention

MEET = "Pompeo met officials in Minsk and talked about oil for hours with the whole delegation."


def _put(store: Store, key: str, a: Analysis) -> None:
    store.write(a, SourceInfo(key=key, content_hash=content_hash(key + a.article.text)))


def _visit(date: str, *, cameo: str = "042", target: str = "Minsk") -> list:  # type: ignore[type-arg]
    return [event(MEET, "met officials", cameo=cameo, source="Pompeo", target=target, date=date)]


def test_same_event_across_outlets_is_one_cluster(store: Store) -> None:
    _put(store, "a", analysis(MEET, outlet="Paper A", published="2020-02-01", events=_visit("2020-02-01")))
    _put(store, "b", analysis(MEET, outlet="Paper B", published="2020-02-02", events=_visit("2020-02-02")))
    _put(store, "c", analysis(MEET, outlet="Paper B", published="2020-02-02", events=_visit("2020-02-02")))
    _put(store, "d", analysis(MEET, outlet="Paper C", published="2020-02-05", events=_visit("2020-02-05")))
    _put(
        store,
        "e",
        analysis(MEET, outlet="Paper C", published="2020-02-01", events=_visit("2020-02-01", cameo="190")),
    )
    _put(
        store,
        "f",
        analysis(MEET, outlet="Paper D", published="2020-02-01", events=_visit("2020-02-01", target="NATO")),
    )
    stats = store.relink()
    assert stats is not None
    with store.read() as conn:
        clusters = Session(bind=conn).scalars(select(EventCluster).order_by(EventCluster.id)).all()
        mention_clusters = (
            conn.execute(select(Mention.cluster_id).where(Mention.kind == "event")).scalars().all()
        )
        event_clusters = conn.execute(select(EventRow.cluster_id)).scalars().all()
    big = max(clusters, key=lambda c: c.num_mentions)
    assert (big.num_mentions, big.num_articles, big.num_sources) == (3, 3, 2)
    assert big.date.isoformat() == "2020-02-01" and big.first_seen.date().isoformat() == "2020-02-01"
    assert (big.root_code, big.source_code, big.target_code) == ("04", "USAGOV", "BLRGOV")
    assert len(clusters) == 4  # 3 days later, another root, another target: separate events
    assert sorted(mention_clusters) == sorted(event_clusters) and None not in event_clusters


def test_denied_claim_repeated_as_fact_is_a_contradiction(store: Store) -> None:
    denial = "The ministry said reports of talks on a NATO training centre in Belarus are false."
    fact = "Belarus and NATO are negotiating a training centre, our reporters learned this week."
    relay = "Telegram channels say talks on a NATO training centre in Belarus are under way."
    denied = analysis(
        denial,
        outlet="Wire A",
        published="2020-02-04",
        claims=[claim(denial, "talks on a NATO training centre in Belarus", status="denied")],
        events=[
            event(
                denial,
                "talks on a NATO training centre",
                cameo="046",
                source="Minsk",
                target="NATO",
                date=None,
                modality="claimed",
                claim_id="c1",
            )
        ],
    )
    asserted = analysis(
        fact,
        outlet="Paper F",
        published="2020-02-05",
        language="fr",
        events=[
            event(
                fact, "negotiating a training centre", cameo="046", source="Minsk", target="NATO", date=None
            )
        ],
    )
    reported = analysis(
        relay,
        outlet="Site R",
        published="2020-02-03",
        claims=[claim(relay, "talks on a NATO training centre in Belarus are under way", status="reported")],
    )
    for key, a in (("denied", denied), ("fact", asserted), ("relay", reported)):
        _put(store, key, a)
    stats = store.relink()
    assert stats is not None and stats.links.contradictions == 1
    with store.read() as conn:
        (summary,) = claim_summaries(conn)
    assert summary.status == "denied" and summary.contradiction
    assert summary.by_status == {"reported": ["Site R"], "denied": ["Wire A"]}
    assert summary.asserted_by == ["Paper F"]
    assert summary.num_articles == 2 and summary.num_sources == 3


def test_claims_linked_by_key_and_status_contested(store: Store) -> None:
    one = "Officials confirmed that the bridge will reopen in May after repairs."
    two = "A spokesman denied that the crossing would be open again before summer."
    _put(
        store,
        "1",
        analysis(
            one,
            outlet="X",
            claims=[claim(one, "the bridge will reopen in May", status="confirmed", key="bridge-may")],
        ),
    )
    _put(
        store,
        "2",
        analysis(
            two,
            outlet="Y",
            claims=[claim(two, "the crossing would be open again", status="denied", key="bridge-may")],
        ),
    )
    _put(
        store,
        "3",
        analysis(one, outlet="Z", claims=[claim(one, "Officials confirmed", status="reported", key="other")]),
    )
    store.relink()
    with store.read() as conn:
        summaries = claim_summaries(conn)
    linked = [s for s in summaries if s.num_articles == 2]
    assert len(summaries) == 2 and len(linked) == 1
    assert linked[0].status == "contested" and linked[0].contradiction
