"""``veille serve``: the REST API and the web UI."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from veille.cli.common import DbOption, app, fail, guarded
from veille.settings import Settings


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="address to listen on (loopback by default)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    read_only: Annotated[bool, typer.Option(help="refuse writes (POST /api/analyze?store=true)")] = False,
    api_token_env: Annotated[
        str | None,
        typer.Option(help="name of the environment variable holding the API token that writes require"),
    ] = None,
    max_body: Annotated[int, typer.Option(help="largest request body in bytes (413 beyond)")] = 2_097_152,
    workers: Annotated[
        int, typer.Option(help="server processes (each with its own connections and answer cache)")
    ] = 1,
    cache: Annotated[
        bool, typer.Option(help="keep repeated read answers in memory until the store changes")
    ] = True,
) -> None:
    """REST API under /api (OpenAPI at /openapi.json) and the web UI at /."""
    import os

    import uvicorn

    from veille.api.app import LOOPBACK_HOSTS, create_app, settle_heap

    if not 0 < port < 65536:
        raise fail(f"--port must be between 1 and 65535, got {port}")
    if max_body < 1:
        raise fail("--max-body must be at least 1")
    if not 1 <= workers <= 32:
        raise fail(f"--workers must be between 1 and 32, got {workers}")
    token = None
    if api_token_env:
        token = os.environ.get(api_token_env, "").strip()
        if not token:
            raise fail(f"--api-token-env: the environment variable {api_token_env} is unset or empty")
    settings = Settings.from_env()
    # On loopback, accept only loopback Host headers: a web page cannot reach the API by DNS rebinding.
    loopback = host in LOOPBACK_HOSTS or host.startswith("127.")
    allowed = [*LOOPBACK_HOSTS, host] if loopback else None

    loop, http = fast_io()

    def run() -> None:
        if workers > 1:
            _serve_workers(
                workers,
                host=host,
                port=port,
                options={
                    "db_url": db or settings.db_url,
                    "read_only": read_only,
                    "api_token_env": api_token_env,
                    "max_body_bytes": max_body,
                    "allowed_hosts": allowed,
                    "response_cache": cache,
                },
                loop=loop,
                http=http,
            )
            return
        application = create_app(
            db_url=db or settings.db_url,
            read_only=read_only,
            api_token=token,
            settings=settings,
            max_body_bytes=max_body,
            allowed_hosts=allowed,
            response_cache=cache,
        )
        settle_heap()
        mode = " (read-only)" if read_only else ""
        typer.echo(f"veille: serving http://{host}:{port}/ — API under /api{mode}")
        uvicorn.run(application, host=host, port=port, **_uvicorn_options(loop=loop, http=http))

    guarded(run)


def fast_io() -> tuple[str, str]:
    """uvicorn's event loop and HTTP protocol: uvloop and httptools (C) when installed, else the
    asyncio loop and h11 (pure Python: more CPU per request). Same choice as uvicorn's "auto",
    made explicit so that the served configuration does not depend on detection; httptools comes
    through :mod:`veille.api.http_protocol`, which sends each answer in one write."""
    from importlib.util import find_spec

    http = "h11"
    if find_spec("httptools"):
        from veille.api import http_protocol

        http = http_protocol.PROTOCOL
    return "uvloop" if find_spec("uvloop") else "asyncio", http


def _uvicorn_options(*, loop: str, http: str) -> dict[str, Any]:
    """What every served process shares: quiet logs, no Server header, the chosen loop and parser."""
    return {"log_level": "warning", "access_log": False, "server_header": False, "loop": loop, "http": http}


def _serve_workers(
    workers: int, *, host: str, port: int, options: dict[str, object], loop: str, http: str
) -> None:
    """``workers`` processes of the app (``veille.api.app.app_from_env``), one socket each where the
    system can share a port between sockets (see :mod:`veille.cli.serve_workers`)."""
    import os

    import uvicorn

    from veille.api.app import SERVE_ENV
    from veille.cli.serve_workers import check_port_free, has_reuse_port, run_workers
    from veille.store import Store

    Store.open(str(options["db_url"])).close()  # migrate once, and fail here with one line
    os.environ[SERVE_ENV] = json.dumps(options)
    mode = " (read-only)" if options["read_only"] else ""
    typer.echo(f"veille: serving http://{host}:{port}/ — API under /api{mode}, {workers} workers")
    factory = "veille.api.app:app_from_env"
    served = _uvicorn_options(loop=loop, http=http)
    if has_reuse_port():
        try:
            check_port_free(host, port)
        except OSError as exc:
            raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        code = run_workers(workers, app=factory, host=host, port=port, options=served)
        if code:
            raise typer.Exit(code)
        return
    uvicorn.run(factory, factory=True, workers=workers, host=host, port=port, **served)
