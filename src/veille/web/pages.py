"""Web pages for reading: the overview, article search, one article with its facts highlighted."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from veille.api.context import Context
from veille.api.routers.params import DateFrom, DateTo, Id, Language, Offset, Outlet, Text
from veille.store.read_articles import ArticleFilter, get_article, languages, outlets, search_articles
from veille.store.read_claims import list_claims
from veille.store.read_stats import stats
from veille.web.highlight import LAYERS, article_facts, speaker_index
from veille.web.highlight import render as render_text
from veille.web.templating import pager, render
from veille.web.worldmap import land_svg, land_svg_gzip

router = APIRouter(include_in_schema=False)


def error_page(request: Request, *, status: int, message: str) -> Response:
    return render(request, "error.html", status=status, status_code=status, message=message)


@router.get("/")
def home(request: Request, ctx: Context) -> Response:
    with ctx.store.read() as conn:
        figures = stats(conn)
        claims = list_claims(conn, limit=6)
        latest = search_articles(conn, ArticleFilter(), limit=8)
        return render(request, "home.html", stats=figures, claims=claims.items, latest=latest.items)


@router.get("/articles")
def articles_page(
    request: Request,
    ctx: Context,
    q: Text = None,
    language: Language = None,
    outlet: Outlet = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    offset: Offset = 0,
) -> Response:
    with ctx.store.read() as conn:
        flt = ArticleFilter(
            q=q or None,
            language=language or None,
            outlet=outlet or None,
            date_from=date_from,
            date_to=date_to,
        )
        page = search_articles(conn, flt, limit=20, offset=offset)
        params: dict[str, Any] = {
            "q": q,
            "language": language,
            "outlet": outlet,
            "date_from": date_from.isoformat() if date_from else None,
            "date_to": date_to.isoformat() if date_to else None,
        }
        return render(
            request,
            "articles.html",
            page=page,
            pager=pager(page, params),
            params=params,
            outlets=outlets(conn, limit=300),
            languages=languages(conn),
        )


@router.get("/articles/{article_id}")
def article_page(request: Request, ctx: Context, article_id: Id) -> Response:
    with ctx.store.read() as conn:
        article = get_article(conn, article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id}")
        marks, facts = article_facts(article)
        speakers = speaker_index(article.quotes)
        quotes_by_speaker: dict[str, list[Any]] = {}
        for q in article.quotes:
            quotes_by_speaker.setdefault(q.speaker_name or q.speaker_mention or "?", []).append(q)
        return render(
            request,
            "article.html",
            article=article,
            body=render_text(article.text, marks),
            facts={ref: fact.as_json() for ref, fact in facts.items()},
            layers=LAYERS,
            speakers=speakers,
            quotes_by_speaker=quotes_by_speaker,
            counts={
                "event": len(article.events),
                "quote": len(article.quotes),
                "claim": len(article.claims),
                "date": len(article.dates),
                "place": len(article.places),
                "actor": len(article.actors),
            },
        )


@router.get("/map/land.svg")
def land(request: Request) -> Response:
    headers = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(land_svg_gzip(), media_type="image/svg+xml", headers=headers)
    return Response(land_svg(), media_type="image/svg+xml", headers=headers)


@router.get("/favicon.ico")
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)
