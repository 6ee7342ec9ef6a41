"""web stage of veille: the server-rendered UI (Jinja2 templates, vendored CSS/JS, SVG figures).

Mounted by :func:`veille.api.app.create_app` beside the API; it reads the store through the same
``veille.store.read_*`` queries and holds no logic of its own beyond layout.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles


def mount_web(app: FastAPI) -> None:
    from veille.web import pages, pages_alerts, pages_explore

    static = resources.files("veille.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(pages.router)
    app.include_router(pages_explore.router)
    app.include_router(pages_alerts.router)
