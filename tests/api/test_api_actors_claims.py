"""Actors, claims, places and stats APIs."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_top_actors_with_event_counts(client: TestClient) -> None:
    page = client.get("/api/actors").json()
    by_code = {a["code"]: a for a in page["items"]}
    assert by_code["LVA"]["events_as_source"] == 2
    assert by_code["RUS"]["events_as_target"] == 1
    assert client.get("/api/actors", params={"q": "russ"}).json()["items"][0]["code"] == "RUS"


def test_actor_profile_and_events(client: TestClient) -> None:
    profile = client.get("/api/actors/lva").json()
    assert profile["code"] == "LVA"
    assert profile["events_as_source"] == 2
    assert {c["code"]: c["as_target"] for c in profile["counterparts"]} == {"RUS": 1}
    events = client.get("/api/actors/LVA/events").json()
    assert sorted(e["cameo"] for e in events["items"]) == ["112", "192"]  # exact code: not LVAGOV
    assert client.get("/api/actors/NOBODY").status_code == 404


def test_network_edges_weighted_by_events(client: TestClient) -> None:
    net = client.get("/api/actors/network").json()
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert set(edges) == {("LTUGOV", "LVAGOV"), ("LVA", "RUS")}
    assert edges[("LVA", "RUS")]["weight"] == 1 and edges[("LVA", "RUS")]["conflict"] == 1
    assert {n["code"] for n in net["nodes"]} == {"LTUGOV", "LVAGOV", "LVA", "RUS"}
    assert client.get("/api/actors/network", params={"root": "11"}).json()["edges"][0]["source"] == "LVA"


def test_claims_with_status_and_provenance(client: TestClient) -> None:
    claims = client.get("/api/claims", params={"status": "denied"}).json()["items"]
    assert {c["text"] for c in claims} >= {"la Lettonie fermerait sa frontière"}
    cluster = next(c for c in claims if c["text"] == "la Lettonie fermerait sa frontière")
    detail = client.get(f"/api/claims/{cluster['id']}").json()
    assert detail["cluster"]["status"] == "denied"
    mention = detail["mentions"][0]
    assert mention["outlet"] == "Baltic Sample" and mention["by"] == "le gouvernement letton"
    nodes = {n["id"]: n for n in detail["graph"]["nodes"]}
    edges = {(e["source"], e["target"], e["kind"]) for e in detail["graph"]["edges"]}
    article = f"a:{mention['article_id']}"
    assert nodes["s:une chaine anonyme"]["kind"] == "origin"
    assert nodes[article]["status"] == "denied"
    assert ("s:une chaine anonyme", article, "publishes") in edges
    assert ("s:le gouvernement letton", article, "denies") in edges
    assert client.get("/api/claims/999999").status_code == 404
    assert client.get("/api/claims", params={"status": "bogus"}).status_code == 422


def test_demo_claim_chain_and_status_across_articles(demo_client: TestClient, seed_id: int) -> None:
    article = demo_client.get(f"/api/articles/{seed_id}").json()
    denied = next(c for c in article["claims"] if c["status"] == "denied")
    assert denied["chain"][0] == "Telegram"
    detail = demo_client.get(f"/api/claims/{denied['cluster_id']}").json()
    assert detail["cluster"]["num_articles"] >= 2  # another outlet carries the same claim
    kinds = {e["kind"] for e in detail["graph"]["edges"]}
    assert {"relays", "publishes", "denies"} <= kinds
    labels = {n["label"] for n in detail["graph"]["nodes"]}
    assert "Telegram" in labels


def test_places_and_stats(client: TestClient) -> None:
    places = client.get("/api/places", params={"country": "LV"}).json()["items"]
    assert [p["name"] for p in places] == ["Riga"]
    assert client.get("/api/places", params={"q": "vil"}).json()["items"][0]["name"] == "Vilnius"
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 2 and stats["events"] == 4
    assert stats["events_by_root"]["04"] == 1
    # Both breakdowns come from one (root, quad class) pass: each sums to the events.
    assert sum(stats["events_by_root"].values()) == sum(stats["events_by_quad"].values()) == 4
    assert list(stats["events_by_root"]) == sorted(stats["events_by_root"])
    assert stats["first_day"] == "2021-02-27" and stats["last_day"] == "2021-03-03"
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["writes_enabled"] is True
