"""The fast read path: pre-serialised answers equal FastAPI's own, cached answers keep the edge's
guarantees, and the prepared event statements give what the plain queries give."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.testclient import TestClient
from sample_store import build_sample_store, thread_of_read
from sqlalchemy import select

from veille.api.answers import JsonShape
from veille.api.app import create_app
from veille.api.http_protocol import PROTOCOL
from veille.api.loadprobe import TreeProbe
from veille.api.schemas.articles import ArticleHitOut, ArticleOut
from veille.api.schemas.common import Page
from veille.api.schemas.events import EventOut
from veille.cli.serve import fast_io
from veille.store import Store
from veille.store.read_article_plans import newest_ids
from veille.store.read_articles import ArticleFilter, _filters, get_article, search_articles
from veille.store.read_common import capped_count
from veille.store.read_event_plans import merge_of
from veille.store.read_events import (
    EventFilter,
    EventItem,
    _newest_first,
    _page_ids,
    conditions,
    count_events,
    item_of,
    list_events,
)
from veille.store.records import EventRow
from veille.store.schema import ArticleRow


def _values(url: str, ids: dict[str, int]) -> dict[str, tuple[Any, Any]]:
    """Store answers of each shape (value, response model), as the endpoints read them."""
    with Store.open(url) as store, store.read() as conn:
        article = get_article(conn, ids["events"])
        assert article is not None
        return {
            "events": (list_events(conn, EventFilter(), limit=7), Page[EventOut]),
            "hits": (search_articles(conn, ArticleFilter(), limit=5), Page[ArticleHitOut]),
            "article": (ArticleOut.of(article), ArticleOut),
            "event": (list_events(conn, EventFilter(), limit=1).items[0], EventOut),
        }


def test_pre_serialised_answers_are_fastapis_bytes(sample: tuple[str, dict[str, int]]) -> None:
    values = _values(*sample)
    assert values["events"][0].items, "the sample store has events"
    app = FastAPI()

    def routes(value: Any, shape: JsonShape) -> tuple[Any, Any]:
        # FastAPI's own path: the endpoint returns the value, FastAPI validates and serialises it.
        def plain() -> Any:
            return value

        def fast() -> Response:
            return Response(shape.dump(value), media_type="application/json")

        return plain, fast

    for name, (value, model) in values.items():
        plain, fast = routes(value, JsonShape(model))
        app.add_api_route(f"/plain/{name}", plain, response_model=model)
        app.add_api_route(f"/fast/{name}", fast, response_model=model)
    with TestClient(app) as client:
        for name in values:
            plain_answer, fast_answer = client.get(f"/plain/{name}"), client.get(f"/fast/{name}")
            assert plain_answer.status_code == fast_answer.status_code == 200
            assert fast_answer.content == plain_answer.content, name
            assert fast_answer.headers["content-type"] == plain_answer.headers["content-type"]


def test_endpoints_answer_as_before(client: TestClient, ids: dict[str, int]) -> None:
    page = client.get("/api/events", params={"limit": 3})
    assert page.status_code == 200 and page.headers["content-type"] == "application/json"
    assert set(page.json()) == {"items", "total", "exact", "limit", "offset"}
    assert client.get("/api/events/2147483647").json() == {"detail": "no event 2147483647"}
    missing = client.get("/api/articles/2147483647")
    assert missing.status_code == 404 and missing.json() == {"detail": "no article 2147483647"}
    # The OpenAPI schema still names the response models of the endpoints now returning bytes.
    paths = client.get("/openapi.json").json()["paths"]
    ok = paths["/api/events/{event_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": "#/components/schemas/EventOut"}
    assert "text/csv" in paths["/api/events"]["get"]["responses"]["200"]["content"]


def test_sqlite_reads_run_on_the_event_loop(sample: tuple[str, dict[str, int]]) -> None:
    # SQLite works inside this process: a worker-thread hop would only add hand-off cost.
    read_thread, loop_thread = thread_of_read(sample[0])
    assert read_thread == loop_thread


def test_cached_answers_keep_the_security_headers_and_the_host_check(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'edge.sqlite'}"
    build_sample_store(url)
    app = create_app(db_url=url, read_only=True, allowed_hosts=["testserver"])
    with TestClient(app) as client:
        first, again = client.get("/api/events?limit=2"), client.get("/api/events?limit=2")
        assert (first.headers["x-veille-cache"], again.headers["x-veille-cache"]) == ("miss", "hit")
        assert again.content == first.content
        for name in ("content-security-policy", "x-content-type-options", "x-frame-options"):
            assert again.headers[name] == first.headers[name]
        # A page reached by DNS rebinding sends its own Host: refused even though the answer is cached.
        foreign = client.get("/api/events?limit=2", headers={"host": "attacker.example"})
        assert foreign.status_code == 400 and "x-veille-cache" not in foreign.headers


FILTERS = [
    EventFilter(),
    EventFilter(actor="LV"),
    EventFilter(actor="LVAGOV", actor_exact=True, root="04"),
    EventFilter(country="LV", date_from=dt.date(2021, 1, 1)),
    EventFilter(country="RUS", root="11"),
    EventFilter(country="ZZ"),  # unknown: nothing, as conditions() says with false()
    EventFilter(actor="L", root="11", date_to=dt.date(2030, 1, 1)),
    EventFilter(plover="consult", date_from=dt.date(2000, 1, 1), date_to=dt.date(2030, 1, 1)),
    EventFilter(root="04", article_id=1),
]


@pytest.mark.parametrize("flt", FILTERS)
def test_prepared_event_statements_equal_the_plain_queries(
    sample: tuple[str, dict[str, int]], flt: EventFilter
) -> None:
    with Store.open(sample[0]) as store, store.read() as conn:
        plain = select(EventRow.id).where(*conditions(flt))
        merge = merge_of(conn, flt)  # an actor or a country alone: an OR of equalities
        assert (merge is not None) == ("LV" in (flt.actor, flt.country)), "the lone-group filters"
        for cap in (1, 2, 1000):  # under, at and over the cap
            expected_count = capped_count(conn, plain, cap=cap)
            assert count_events(conn, flt, cap=cap) == expected_count
            assert count_events(conn, flt, cap=cap, merge=merge) == expected_count
        ordered = plain.order_by(*_newest_first(conn))
        for limit, offset in ((50, 0), (2, 1)):
            expected = [i for (i,) in conn.execute(ordered.limit(limit).offset(offset))]
            assert _page_ids(conn, flt, limit=limit, offset=offset) == expected


@pytest.mark.parametrize(
    "flt",
    [
        ArticleFilter(),
        ArticleFilter(language="fr"),
        ArticleFilter(language="fr", date_from=dt.date(2000, 1, 1), date_to=dt.date(2100, 1, 1)),
        ArticleFilter(outlet="nobody", date_to=dt.date(2100, 1, 1)),
    ],
)
def test_prepared_article_lists_equal_the_plain_queries(
    sample: tuple[str, dict[str, int]], flt: ArticleFilter
) -> None:
    with Store.open(sample[0]) as store, store.read() as conn:
        plain = select(ArticleRow.id).where(*_filters(flt))
        newest = plain.order_by(ArticleRow.published.desc(), ArticleRow.id.desc())
        ordered = [i for (i,) in conn.execute(newest)]
        for limit, offset, cap in ((50, 0, 1000), (1, 0, 1000), (1, 1, 1), (1, 5, 1000)):
            total = capped_count(conn, plain, cap=cap)
            expected = (ordered[offset : offset + limit], *total)
            found = newest_ids(conn, flt, limit=limit, offset=offset, cap=cap)
            assert found == expected, (limit, offset, cap)


def test_fast_event_items_equal_the_dataclass(sample: tuple[str, dict[str, int]]) -> None:
    with Store.open(sample[0]) as store, store.read() as conn:
        items = list_events(conn, EventFilter(), limit=200).items
        assert items
        for item in items:
            assert isinstance(item, EventItem)
            rebuilt = EventItem(**{name: getattr(item, name) for name in item.__dataclass_fields__})
            assert item == rebuilt and hash(item) == hash(rebuilt)

        with pytest.raises(ValueError):  # a row of other columns is refused, not half-filled
            item_of((1,))


def test_tree_probe_counts_children() -> None:
    assert TreeProbe(0)() is None  # no /proc/0
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.4: pass\ntime.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", busy])
    probe = TreeProbe(os.getpid())
    try:
        before = probe()
        assert before is not None
        time.sleep(1.0)  # the child burns its 0.4 s of CPU, this process almost none
        after = probe()
        assert after is not None and after - before >= 0.3
    finally:
        child.kill()
        child.wait()


def test_tree_probe_tells_which_process_worked() -> None:
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.4: pass\ntime.sleep(30)"
    idle = "import time\ntime.sleep(30)"
    children = [subprocess.Popen([sys.executable, "-c", code]) for code in (busy, idle)]
    try:
        probe = TreeProbe(os.getpid())
        assert probe() is not None
        time.sleep(1.2)
        assert probe() is not None
        split = probe.split()
        # The busy child's 0.4 s comes first; the idle one and this process used next to nothing.
        assert split and split[0] >= 0.3
        assert sum(split[1:]) < split[0]
    finally:
        for child in children:
            child.kill()
            child.wait()
    assert TreeProbe(0)() is None and TreeProbe(0).split() == []


def test_serve_uses_the_c_loop_and_parser_when_installed() -> None:
    loop, http = fast_io()
    assert loop == ("uvloop" if find_spec("uvloop") else "asyncio")
    assert http == (PROTOCOL if find_spec("httptools") else "h11")
