"""POST /api/analyze: the contract JSON for a text, HTML or JSON body; storing needs the token."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_store import TOKEN

from veille.api.app import create_app

TEXT = (
    "Paris, le 12 mars 2021. Le ministre français des Affaires étrangères a rencontré lundi son "
    "homologue allemand à Berlin. « Nous travaillerons ensemble », a déclaré le ministre."
)


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    folder: Path = tmp_path_factory.mktemp("analyze-store")
    return TestClient(create_app(db_url=f"sqlite:///{folder / 'w.sqlite'}", api_token=TOKEN))


def test_plain_text_gives_the_contract(writer: TestClient) -> None:
    response = writer.post("/api/analyze", content=TEXT.encode(), headers={"content-type": "text/plain"})
    assert response.status_code == 200
    doc = response.json()
    assert set(doc) >= {
        "veille_version",
        "article",
        "dates",
        "entities",
        "actors",
        "places",
        "events",
        "quotes",
        "claims",
    }
    assert doc["article"]["language"] == "fr"
    assert doc["article"]["text"].startswith("Paris, le 12 mars 2021")
    for quote in doc["quotes"]:
        assert doc["article"]["text"][quote["start"] : quote["end"]] == quote["quote"]
    assert "Location" not in response.headers


def test_json_body_with_metadata(writer: TestClient) -> None:
    body = {
        "html": f"<html><head><title>Réunion</title></head><body><p>{TEXT}</p></body></html>",
        "published": "2021-03-15",
    }
    doc = writer.post("/api/analyze", json=body).json()
    assert doc["article"]["published"]["date"] == "2021-03-15"
    assert doc["article"]["published"]["source"] == "user"
    assert "<p>" not in doc["article"]["text"]


def test_bad_bodies_are_input_errors(writer: TestClient) -> None:
    assert writer.post("/api/analyze", content=b"", headers={"content-type": "text/plain"}).status_code == 422
    both = writer.post("/api/analyze", json={"text": "a", "html": "<p>b</p>"})
    assert both.status_code == 422 and "exactly one" in both.json()["error"]
    assert (
        writer.post(
            "/api/analyze", content=b"{not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )
    assert writer.post("/api/analyze", json={"text": "x", "url": "y", "extra": 1}).status_code == 422
    assert (
        writer.post("/api/analyze?lang=de", content=b"x", headers={"content-type": "text/plain"}).status_code
        == 422
    )


def test_store_true_writes_the_article(writer: TestClient) -> None:
    auth = {"content-type": "text/plain", "authorization": f"Bearer {TOKEN}"}
    response = writer.post("/api/analyze?store=true", content=TEXT.encode(), headers=auth)
    assert response.status_code == 201
    location = response.headers["Location"]
    article = writer.get(location).json()
    assert article["text"] == response.json()["article"]["text"]
    again = writer.post("/api/analyze?store=true", content=TEXT.encode(), headers=auth)
    assert again.status_code == 200 and again.headers["Location"] == location  # unchanged: not duplicated
    assert writer.get("/api/articles").json()["total"] == 1
