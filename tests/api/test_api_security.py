"""Security at the edge: escaping of stored text, request size cap, read-only mode, API token, Host check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_store import TOKEN

from veille.api.app import LOOPBACK_HOSTS, create_app


class _Tags(HTMLParser):
    """Every tag and attribute of a page, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _pages(ids: dict[str, int]) -> list[str]:
    return [
        "/",
        f"/articles/{ids['xss']}",
        "/articles?q=piégé",
        "/articles",
        "/events",
        "/actors",
        "/claims",
        "/places",
        "/places?q=tallinn",
    ]


def test_stored_markup_renders_as_text(client: TestClient, ids: dict[str, int]) -> None:
    for path in _pages(ids):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.text
        tags = _tags(html)
        scripts = [attrs for tag, attrs in tags if tag == "script"]
        # Only our own script file and the JSON data block: nothing from the article.
        assert all(
            a.get("src") == "/static/veille.js" or a.get("type") == "application/json" for a in scripts
        ), path
        assert not [t for t, _ in tags if t in {"img", "iframe"}], path  # the payloads' tags
        handlers = [(t, name) for t, attrs in tags for name in attrs if name.startswith("on")]
        assert handlers == [], (path, handlers)
        assert not any(
            (v or "").strip().lower().startswith("javascript:") for _, attrs in tags for v in attrs.values()
        ), path


def test_article_page_shows_the_payload_as_text(client: TestClient, ids: dict[str, int]) -> None:
    html = client.get(f"/articles/{ids['xss']}").text
    assert "&lt;script&gt;window.__pwned = 1;" in html
    assert "onerror=&#34;window.__pwned = 2&#34;" in html or "onerror=&quot;window.__pwned = 2&quot;" in html
    assert "&lt;i onmouseover=alert(7)&gt;Outlet&lt;/i&gt;" in html
    assert "&lt;b&gt;Jean Piège&lt;/b&gt;" in html and "<b>Jean" not in html
    # The facts for the details panel sit in a JSON block that cannot close its <script> element.
    block = re.search(r'<script type="application/json" id="facts">(.*?)</script>', html, re.S)
    assert block is not None and "<" not in block.group(1)
    assert "javascript:" not in re.sub(r"&[^;]+;", "", "".join(re.findall(r'href="([^"]*)"', html)))


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "content-security-policy" in client.get("/api/health").headers


@pytest.fixture()
def small_app(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(db_url=f"sqlite:///{tmp_path / 's.sqlite'}", api_token=TOKEN, max_body_bytes=1000)
    with TestClient(app) as test_client:
        yield test_client


def test_body_over_the_cap_is_413(small_app: TestClient) -> None:
    big = "Un texte. " * 200
    response = small_app.post("/api/analyze", content=big, headers={"content-type": "text/plain"})
    assert response.status_code == 413
    assert "1000 bytes" in response.json()["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(20):
            yield b"x" * 100

    streamed = small_app.post("/api/analyze", content=chunks(), headers={"content-type": "text/plain"})
    assert streamed.status_code == 413


def test_unsupported_content_type_is_415(small_app: TestClient) -> None:
    response = small_app.post(
        "/api/analyze", content=b"%PDF-1.4", headers={"content-type": "application/pdf"}
    )
    assert response.status_code == 415


def test_writes_need_the_token(small_app: TestClient) -> None:
    body = {"content": "Le ministre a parlé.", "headers": {"content-type": "text/plain"}}
    assert small_app.post("/api/analyze?store=true", **body).status_code == 401  # type: ignore[arg-type]
    wrong = small_app.post(
        "/api/analyze?store=true",
        content="Le ministre a parlé.",
        headers={"content-type": "text/plain", "authorization": "Bearer nope"},
    )
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"


def test_read_only_refuses_writes(tmp_path: Path) -> None:
    app = create_app(db_url=f"sqlite:///{tmp_path / 'r.sqlite'}", read_only=True, api_token=TOKEN)
    with TestClient(app) as client:
        response = client.post(
            "/api/analyze?store=true",
            content="Le ministre a parlé.",
            headers={"content-type": "text/plain", "authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 403
        assert "read-only" in response.json()["detail"]
        assert client.get("/api/health").json()["read_only"] is True


def test_no_token_configured_means_no_writes(tmp_path: Path) -> None:
    with TestClient(create_app(db_url=f"sqlite:///{tmp_path / 'n.sqlite'}")) as client:
        response = client.post("/api/analyze?store=true", content="x", headers={"content-type": "text/plain"})
        assert response.status_code == 403
        assert "--api-token-env" in response.json()["detail"]


def test_loopback_server_refuses_foreign_host_headers(tmp_path: Path) -> None:
    app = create_app(db_url=f"sqlite:///{tmp_path / 'h.sqlite'}", allowed_hosts=LOOPBACK_HOSTS)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health", headers={"host": "localhost:8000"}).status_code == 200
        assert client.get("/api/health", headers={"host": "attacker.example"}).status_code == 400


def test_errors_never_leak_tracebacks(client: TestClient) -> None:
    page = client.get("/articles/999999")
    assert page.status_code == 404 and "Traceback" not in page.text and "<h1>404</h1>" in page.text
    assert client.get("/api/nothing-here").status_code == 404
