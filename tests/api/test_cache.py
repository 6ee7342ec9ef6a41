"""The answer cache: repeated reads are served from memory, and never after the store changed."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from sample_store import TOKEN, build_sample_store
from sqlalchemy import update
from starlette.types import Receive, Scope, Send

from veille.api.app import SERVE_ENV, app_from_env, create_app
from veille.api.cache import ResponseCache, StoreGeneration
from veille.store import Store
from veille.store.engine import Engines
from veille.store.schema import ArticleRow


@pytest.fixture()
def own_store(tmp_path: Path) -> tuple[str, dict[str, int]]:
    url = f"sqlite:///{tmp_path / 'own.sqlite'}"
    return url, build_sample_store(url)


def _cache(response: Any) -> str | None:
    value: str | None = response.headers.get("x-veille-cache")
    return value


def test_repeats_are_hits_until_another_connection_writes(own_store: tuple[str, dict[str, int]]) -> None:
    url, ids = own_store
    with TestClient(create_app(db_url=url, read_only=True)) as client:
        first = client.get("/api/articles", params={"q": "Vilnius", "limit": 5})
        assert first.status_code == 200 and _cache(first) == "miss"
        # The same question with its parameters in another order is the same entry.
        again = client.get("/api/articles?limit=5&q=Vilnius")
        assert _cache(again) == "hit" and again.content == first.content
        assert _cache(client.get(f"/api/articles/{ids['events']}")) == "miss"
        assert _cache(client.get(f"/api/articles/{ids['events']}")) == "hit"
        # A write by another connection (as `veille ingest` in another process would make).
        with Store.open(url) as other, other.engines.write.begin() as conn:
            conn.execute(
                update(ArticleRow).where(ArticleRow.id == ids["events"]).values(title="Vilnius, titre changé")
            )
        fresh = client.get(f"/api/articles/{ids['events']}")
        assert _cache(fresh) == "miss" and fresh.json()["title"] == "Vilnius, titre changé"
        listed = client.get("/api/articles?q=Vilnius&limit=5")
        assert _cache(listed) == "miss"
        assert "Vilnius, titre changé" in [hit["title"] for hit in listed.json()["items"]]


def test_errors_streams_and_other_paths_are_not_cached(own_store: tuple[str, dict[str, int]]) -> None:
    with TestClient(create_app(db_url=own_store[0], read_only=True)) as client:
        for _ in range(2):
            assert _cache(client.get("/api/articles/999999")) == "miss"  # a 404 is recomputed
            assert _cache(client.get("/api/events?format=csv")) == "miss"  # streamed CSV
            assert _cache(client.get("/api/articles?limit=0")) == "miss"  # a 422
            assert _cache(client.get("/api/health")) is None  # not under a cached prefix
            assert _cache(client.get("/")) is None  # web pages are not cached
    with TestClient(create_app(db_url=own_store[0], read_only=True, response_cache=False)) as client:
        for _ in range(2):
            assert _cache(client.get("/api/articles")) is None


def test_writes_through_the_api_bump_the_generation(own_store: tuple[str, dict[str, int]]) -> None:
    app = create_app(db_url=own_store[0], api_token=TOKEN)
    generation = app.state.veille.generation
    with TestClient(app) as client:
        assert _cache(client.get("/api/articles?q=Tartu")) == "miss"
        assert client.get("/api/articles?q=Tartu").json()["total"] == 0
        before = generation.current()
        text = "À Tartu, le maire a rencontré mercredi des étudiants lettons venus de Riga."
        stored = client.post(
            "/api/analyze?store=true",
            content=text.encode(),
            headers={"content-type": "text/plain", "authorization": f"Bearer {TOKEN}"},
        )
        assert stored.status_code == 201
        assert generation.current() != before
        after = client.get("/api/articles?q=Tartu")
        assert _cache(after) == "miss" and after.json()["total"] == 1


def test_generation_without_a_commit_counter_expires_with_time() -> None:
    now = [100.0]
    engines = cast(Engines, type("PgLike", (), {"is_sqlite": False})())
    generation = StoreGeneration(engines, ttl=2.0, clock=lambda: now[0])
    first = generation.current()
    now[0] += 1.0
    assert generation.current() == first
    now[0] += 1.5  # past the ttl: answers cached before are not served any more
    assert generation.current() != first
    second = generation.current()
    generation.bump()
    assert generation.current() != second


def test_in_memory_databases_are_never_cached(tmp_path: Path) -> None:
    with Store.open("sqlite://") as store:
        assert not StoreGeneration(store.engines).enabled


def _counting_app(calls: list[str]) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["path"])
        body = json.dumps({"path": scope["path"], "n": len(calls)}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def test_least_recently_used_entries_go_first(own_store: tuple[str, dict[str, int]]) -> None:
    calls: list[str] = []
    with Store.open(own_store[0]) as store:
        generation = StoreGeneration(store.engines)
        cache = ResponseCache(
            _counting_app(calls),
            generation=generation,
            prefixes=["/api/x"],
            max_entries=2,
            max_entry_bytes=100,
        )
        client = TestClient(cache)
        for path in ("/api/x/1", "/api/x/2", "/api/x/1", "/api/x/3", "/api/x/1", "/api/x/2"):
            client.get(path)
        # 1 and 2 computed, 1 hit, 3 computed (2 out), 1 hit, 2 computed again.
        assert calls == ["/api/x/1", "/api/x/2", "/api/x/3", "/api/x/2"]
        assert (cache.hits, cache.misses) == (2, 4)
        assert len(cache._entries) == 2
        client.get("/api/xy")  # a path that only starts like the prefix is not cached
        client.get("/api/xy")
        assert calls[-2:] == ["/api/xy", "/api/xy"]
        cache.clear()
        client.get("/api/x/1")
        assert calls[-1] == "/api/x/1"
        generation.close()


def test_oversized_answers_pass_through(own_store: tuple[str, dict[str, int]]) -> None:
    calls: list[str] = []
    with Store.open(own_store[0]) as store:
        generation = StoreGeneration(store.engines)
        app = _counting_app(calls)
        cache = ResponseCache(app, generation=generation, prefixes=["/api"], max_entry_bytes=10)
        client = TestClient(cache)
        assert client.get("/api/big").json()["n"] == 1
        assert client.get("/api/big").json()["n"] == 2
        generation.close()


def test_worker_processes_build_the_app_from_the_environment(
    own_store: tuple[str, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    options = {"db_url": own_store[0], "read_only": False, "api_token_env": "VEILLE_TEST_TOKEN"}
    monkeypatch.setenv(SERVE_ENV, json.dumps(options))
    monkeypatch.setenv("VEILLE_TEST_TOKEN", TOKEN)
    gc.unfreeze()
    try:
        app = app_from_env()
        # The long-lived heap is hidden from the collector (no full-collection stalls under load).
        assert gc.get_freeze_count() > 10_000
        assert len(gc.get_objects()) < gc.get_freeze_count() / 10
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
    assert app.state.veille.writes_enabled and app.state.veille.api_token == TOKEN
    assert TOKEN not in json.dumps(options)
    app.state.veille.generation.close()
    app.state.veille.store.close()


def test_the_load_client_reads_sized_chunked_and_closing_answers() -> None:
    import asyncio

    from veille.api.loadclient import HttpError, KeepAliveClient

    answers = [
        b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-veille-cache: hit\r\n\r\nhello",
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n",
        b"HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\nconnection: close\r\n\r\nno",
        b"garbage\r\n\r\n",
    ]
    seen: list[str] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while answers:
            request = await reader.readuntil(b"\r\n\r\n")
            seen.append(request.split(b"\r\n")[0].decode())
            answer = answers.pop(0)
            writer.write(answer)
            await writer.drain()
            if b"connection: close" in answer:
                break
        writer.close()

    async def scenario() -> list[object]:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = KeepAliveClient("127.0.0.1", port, timeout=5)
        got: list[object] = [await client.get("/a", {"q": "é x", "n": 1})]
        got.append(client.last_headers["x-veille-cache"])
        got.append(await client.get("/b"))
        got.append(await client.get("/c"))
        try:
            await client.get("/d")  # a new connection (the last answer closed the first one)
        except HttpError as exc:
            got.append(f"error {exc}")
        await client.close()
        server.close()
        await server.wait_closed()
        return got

    got = asyncio.run(scenario())
    assert got[:4] == [(200, b"hello"), "hit", (200, b"abcde"), (404, b"no")]
    assert got[4] == "error bad status line 'garbage'" and seen[-1] == "GET /d HTTP/1.1"
    assert seen[0] == "GET /a?q=%C3%A9+x&n=1 HTTP/1.1"
