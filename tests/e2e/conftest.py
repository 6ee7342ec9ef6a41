"""End-to-end fixtures: the demo store served by uvicorn on loopback, and Debian's headless Chromium.

Skipped with a reason when ``/usr/bin/chromium`` or the playwright package is missing (CI installs
both: ``.ci/chromium.sh``). The store is the one the API tests use (built once per session).
"""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import Served, Watched

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _sample_store() -> Any:
    """The API tests' store builder (tests/api/sample_store.py), loaded by path."""
    path = Path(__file__).resolve().parents[1] / "api" / "sample_store.py"
    spec = importlib.util.spec_from_file_location("veille_e2e_sample_store", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def chromium_ready() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (install it: bash .ci/chromium.sh)")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("the playwright package is missing (pip install -e '.[dev]')")


@pytest.fixture(scope="session")
def served(chromium_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    import uvicorn

    from veille.api.app import LOOPBACK_HOSTS, create_app
    from veille.cli.serve import fast_io

    samples = _sample_store()
    url, ids = samples.demo_store(tmp_path_factory)
    app = create_app(db_url=url, read_only=True, allowed_hosts=LOOPBACK_HOSTS)
    port = _free_port()
    loop, http = fast_io()  # the event loop and HTTP protocol of `veille serve`
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", loop=loop, http=http)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", samples.seed_article_id(url), ids)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")  # the sync API runs an event loop until closed
def browser(chromium_ready: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _watch(browser: Any, width: int, height: int) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    watched = Watched(page)
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.errors.append(str(e)))

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield watched
    finally:
        context.close()


@pytest.fixture()
def laptop(browser: Any) -> Iterator[Watched]:
    yield from _watch(browser, 1280, 860)


@pytest.fixture()
def phone(browser: Any) -> Iterator[Watched]:
    yield from _watch(browser, 390, 844)
