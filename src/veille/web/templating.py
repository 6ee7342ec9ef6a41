"""The Jinja2 environment of the web UI: autoescaping always on, a few formatting filters."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.responses import Response

from veille import __version__
from veille.store.read_common import Page, cameo_roots
from veille.web.highlight import STATUSES

_env = Environment(
    loader=FileSystemLoader(str(resources.files("veille.web") / "templates")),
    autoescape=True,  # every {{ value }} is HTML-escaped, whatever the template's extension
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_env)
ROOT_LABELS = dict(cameo_roots())


def status_class(status: str | None) -> str:
    """A CSS class from a fixed list (data never becomes a class name)."""
    return f"st-{status}" if status in STATUSES else "st-other"


def number(value: int | float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}".replace(",", "\u202f")


def day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def root_label(code: str | None) -> str:
    return ROOT_LABELS.get((code or "")[:2], "")


def safe_url(url: str | None) -> str | None:
    """An article's own address, only if it is http(s) (never javascript: or data:)."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


_env.filters.update(
    status_class=status_class, number=number, day=day, root_label=root_label, safe_url=safe_url
)
_env.globals.update(version=__version__)


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """``params`` with ``changes`` applied, URL-encoded, empty values dropped."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})


def pager(page: Page[Any], params: dict[str, Any]) -> dict[str, Any]:
    """Links and labels for the previous/next controls of a paged list."""
    end = page.offset + len(page.items)
    return {
        "first": page.offset + 1 if page.items else 0,
        "last": end,
        "total": f"{number(page.total)}{'' if page.exact else '+'}",
        "prev": query_string(params, offset=max(0, page.offset - page.limit)) if page.offset > 0 else None,
        "next": query_string(params, offset=end) if end < page.total else None,
    }


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status)
