"""``POST /api/analyze``: analyse one page sent in the body and return the contract JSON.

The body is the page itself (``text/plain`` or ``text/html``) or a JSON object (``text`` or
``html`` plus metadata). Its size is capped by the app (413 beyond). ``store=true`` also writes
the article to the store: a write, so it needs the API token and is refused in read-only mode.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from veille.api.context import ApiContext, Context, require_write
from veille.api.schemas.analyze import AnalyzeRequest
from veille.errors import InputError
from veille.ingest.raw import RawDocument
from veille.models import Analysis
from veille.pipeline import AnalyzeOptions, analyze
from veille.store.write import SourceInfo, content_hash

router = APIRouter(tags=["analyze"])
_PAGE_TYPES = {"text/plain", "text/html", "application/xhtml+xml"}
_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "application/json": {"schema": {"$ref": "#/components/schemas/AnalyzeRequest"}},
        },
    }
}


def _raw_from_json(body: bytes) -> tuple[RawDocument, AnalyzeRequest]:
    try:
        request = AnalyzeRequest.model_validate(json.loads(body))
    except (ValueError, ValidationError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else "invalid JSON"
        raise InputError(f"invalid JSON body ({message})", source="request") from None
    if (request.text is None) == (request.html is None):
        raise InputError("give exactly one of `text` or `html`", source="request")
    meta = {
        k: v for k, v in (("title", request.title), ("url", request.url), ("source", request.source)) if v
    }
    raw = RawDocument(
        source="request",
        text=request.text if request.text is not None else request.html,
        content_type="text/plain" if request.text is not None else "text/html",
        meta=meta,
    )
    return raw, request


def _analyze(ctx: ApiContext, raw: RawDocument, options: AnalyzeOptions) -> Analysis:
    with ctx.analyze_lock:
        return analyze(raw, settings=ctx.settings, options=options)


@router.post(
    "/analyze",
    response_model=Analysis,
    summary="Analyse one page",
    openapi_extra=_BODY_DOC,
    responses={
        201: {"description": "analysed and stored (Location: the stored article)"},
        413: {"description": "body larger than the cap"},
        415: {"description": "unsupported content type"},
    },
)
async def analyze_endpoint(
    request: Request,
    response: Response,
    ctx: Context,
    store: Annotated[
        bool, Query(description="also write the article to the store (needs the token)")
    ] = False,
    published: Annotated[dt.date | None, Query(description="publication date (overrides the page's)")] = None,
    lang: Annotated[Literal["auto", "fr", "en"], Query()] = "auto",
) -> Any:
    """Analyse the page in the body (plain text, HTML, or JSON ``{"text"|"html", …}``) and return what
    `veille analyze --format json` prints. The API never fetches URLs."""
    if store:
        require_write(request, ctx)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if media == "application/json":
        raw, form = _raw_from_json(body)
        published = published or form.published
        lang = form.lang if lang == "auto" else lang
    elif media in _PAGE_TYPES or not media:
        raw = RawDocument(source="request", data=body, content_type=media or "text/plain")
    else:
        raise HTTPException(415, "send text/plain, text/html or application/json")
    options = AnalyzeOptions(published=published, lang=lang)
    analysis = await run_in_threadpool(_analyze, ctx, raw, options)
    if store:
        key = f"api:{analysis.article.url or analysis.article.id}"
        info = SourceInfo(key=key, content_hash=content_hash(body), url=analysis.article.url, meta=raw.meta)
        written = await run_in_threadpool(ctx.store.write, analysis, info)
        await run_in_threadpool(ctx.store.relink)
        if ctx.generation is not None:  # cached read answers are stale now (see api.cache)
            ctx.generation.bump()
        response.status_code = 201 if written.status != "unchanged" else 200
        response.headers["Location"] = f"/api/articles/{written.article_id}"
        response.headers["X-Veille-Article-Id"] = str(written.article_id)
    return analysis
