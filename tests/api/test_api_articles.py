"""Articles API: search with filters and paging, one article with all its facts and offsets."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_search_finds_words_in_text_and_title(client: TestClient, ids: dict[str, int]) -> None:
    page = client.get("/api/articles", params={"q": "Riga frontière"}).json()
    assert [a["id"] for a in page["items"]] == [ids["events"]]
    assert page["total"] == 1 and page["exact"] is True
    assert "Riga" in page["items"][0]["snippet"] or "frontière" in page["items"][0]["snippet"]
    assert page["items"][0]["n_events"] == 3 and page["items"][0]["n_claims"] == 1


def test_search_needs_every_word(client: TestClient) -> None:
    assert client.get("/api/articles", params={"q": "Riga zzzunknownword"}).json()["items"] == []


def test_search_query_syntax_is_inert(client: TestClient) -> None:
    # FTS operators and quotes in user input are words, never query syntax (no 5xx, no injection).
    for q in ['"', "Riga OR", "NEAR(a b)", "a* -b", "'; DROP TABLE articles; --", "col:Riga"]:
        response = client.get("/api/articles", params={"q": q})
        assert response.status_code == 200, q


def test_filters_and_paging(client: TestClient, ids: dict[str, int]) -> None:
    everything = client.get("/api/articles").json()
    assert everything["total"] == 2
    assert [a["id"] for a in everything["items"]] == [ids["xss"], ids["events"]]  # newest first
    day = client.get("/api/articles", params={"date_from": "2021-03-03", "date_to": "2021-03-03"}).json()
    assert [a["id"] for a in day["items"]] == [ids["xss"]]
    outlet = client.get("/api/articles", params={"outlet": "Baltic Sample"}).json()
    assert [a["id"] for a in outlet["items"]] == [ids["events"]]
    assert client.get("/api/articles", params={"language": "en"}).json()["total"] == 0
    second = client.get("/api/articles", params={"limit": 1, "offset": 1}).json()
    assert [a["id"] for a in second["items"]] == [ids["events"]]
    assert (second["limit"], second["offset"], second["total"]) == (1, 1, 2)


def test_bad_parameters_are_422(client: TestClient) -> None:
    for params in (
        {"limit": 0},
        {"limit": 1000},
        {"offset": -1},
        {"date_from": "yesterday"},
        {"language": "FR!"},
    ):
        assert client.get("/api/articles", params=params).status_code == 422, params


def test_article_detail_has_every_fact_with_offsets(client: TestClient, ids: dict[str, int]) -> None:
    article: dict[str, Any] = client.get(f"/api/articles/{ids['events']}").json()
    text = article["text"]
    assert article["published"]["date"] == "2021-03-02"
    assert [d["value"] for d in article["dates"]] == ["2021-03-02"]
    assert {a["code"] for a in article["actors"]} == {"LTUGOV", "LVAGOV", "LVA", "RUS"}
    assert {p["name"] for p in article["places"]} == {"Vilnius", "Riga"}
    for record in article["dates"] + article["actors"] + article["places"]:
        assert text[record["start"] : record["end"]] == record["text"]
    for event in article["events"]:
        assert text[event["evidence_start"] : event["evidence_end"]] == event["evidence_text"]
    quote = article["quotes"][0]
    assert text[quote["start"] : quote["end"]] == quote["quote"]
    assert text[quote["speaker_start"] : quote["speaker_end"]] == "le ministre letton"
    claim = article["claims"][0]
    assert claim["status"] == "denied" and claim["cluster_id"] is not None
    denial = next(e for e in claim["evidence"] if e["role"] == "denial")
    assert text[denial["start"] : denial["end"]] == "c'est faux"
    claimed = next(e for e in article["events"] if e["modality"] == "claimed")
    assert claimed["claim_id"] == claim["id"]


def test_stored_analysis_is_the_contract(client: TestClient, ids: dict[str, int]) -> None:
    doc = client.get(f"/api/articles/{ids['events']}/analysis").json()
    assert set(doc) >= {"veille_version", "article", "dates", "events", "quotes", "claims"}
    assert doc["article"]["text"].startswith("Le ministre lituanien")


def test_missing_article_is_404(client: TestClient) -> None:
    assert client.get("/api/articles/999999").status_code == 404
    assert client.get("/api/articles/999999/analysis").status_code == 404
    assert client.get("/api/articles/not-a-number").status_code == 422


def test_demo_search_finds_the_seed_page(demo_client: TestClient, seed_id: int) -> None:
    page = demo_client.get("/api/articles", params={"q": "Biélorussie OTAN formation"}).json()
    assert seed_id in [a["id"] for a in page["items"]]
    # Accents do not matter to the full-text index.
    assert seed_id in [
        a["id"] for a in demo_client.get("/api/articles", params={"q": "bielorussie"}).json()["items"]
    ]
    article = demo_client.get(f"/api/articles/{seed_id}").json()
    assert article["title"] == "Defender Europe : L’armée US aux portes de la Russie"
    assert article["published"]["date"] == "2020-02-04"
    assert any(c["status"] == "denied" for c in article["claims"])
