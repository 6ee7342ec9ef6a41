"""``/api/articles``: full-text search with filters, one article with all its facts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from sqlalchemy import Connection

from veille.api.answers import JsonShape, read_json
from veille.api.context import Context
from veille.api.routers.params import DateFrom, DateTo, Id, Language, Limit, Offset, Outlet, Text
from veille.api.schemas.articles import ArticleHitOut, ArticleOut
from veille.api.schemas.common import Page
from veille.store.read_articles import ArticleFilter, get_article, search_articles, stored_analysis

router = APIRouter(prefix="/articles", tags=["articles"])
_HITS = JsonShape(Page[ArticleHitOut])
_ARTICLE = JsonShape(ArticleOut)


@router.get("", response_model=Page[ArticleHitOut], summary="Search articles")
async def list_articles(
    ctx: Context,
    q: Text = None,
    language: Language = None,
    outlet: Outlet = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Articles whose title or text contain all the words of ``q`` (best match first), or all articles
    newest first; filtered by language, outlet and publication day range."""
    flt = ArticleFilter(q=q, language=language, outlet=outlet, date_from=date_from, date_to=date_to)
    return await read_json(ctx, _HITS, lambda conn: search_articles(conn, flt, limit=limit, offset=offset))


@router.get("/{article_id}", response_model=ArticleOut, summary="One article with all its facts")
async def article(ctx: Context, article_id: Id) -> Response:
    """The clean text and every record found in it (dates, entities, actors, places, events, quotes,
    claims with their evidence), each with character offsets into ``text``."""

    def read(conn: Connection) -> ArticleOut | None:
        found = get_article(conn, article_id)
        return None if found is None else ArticleOut.of(found)

    return await read_json(ctx, _ARTICLE, read, missing=f"no article {article_id}")


@router.get("/{article_id}/analysis", summary="The stored analysis (contract JSON)")
def article_analysis(ctx: Context, article_id: Id) -> dict[str, Any]:
    """The analysis as `veille analyze --format json` printed it when the article was ingested."""
    with ctx.store.read() as conn:
        found = stored_analysis(conn, article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        return found
