"""The load check's queries: a weighted mix of article and event reads, with random values drawn
from what the store holds (title words, languages, outlets, actor codes, countries, days)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from veille.store import Store
from veille.store.read_actors import top_actors
from veille.store.read_articles import languages, outlets
from veille.store.read_common import words
from veille.store.read_stats import stats

# Kind of query -> weight in the mix (article and event queries, as a reader's session has them).
MIX = {
    "articles.search": 25,
    "articles.filter": 10,
    "articles.detail": 10,
    "events.filter": 40,
    "events.detail": 5,
    "events.actor": 10,
}


@dataclass(frozen=True)
class Vocabulary:
    """What random queries are made of, read from the store once."""

    terms: list[str]
    languages: list[str]
    outlets: list[str]
    codes: list[str]
    countries: list[str]
    roots: list[str]
    first_day: dt.date
    last_day: dt.date
    max_article: int
    max_event: int
    articles: int = 0  # in the store
    events: int = 0


def vocabulary(db_url: str) -> Vocabulary:
    from sqlalchemy import func, select

    from veille.store.records import EventRow
    from veille.store.schema import ArticleRow

    with Store.open(db_url) as store, store.read() as conn:
        figures = stats(conn)
        titles = [
            t
            for (t,) in conn.execute(select(ArticleRow.title).where(ArticleRow.title.is_not(None)).limit(500))
        ]
        terms = sorted({w for t in titles if t for w in words(t) if len(w) > 4})
        codes = [a.code for a in top_actors(conn, limit=40).items if a.code and a.code.isalnum()]
        countries = [c for (c,) in conn.execute(select(EventRow.place_country).distinct().limit(50)) if c]
        max_article = conn.execute(select(func.max(ArticleRow.id))).scalar() or 1
        max_event = conn.execute(select(func.max(EventRow.id))).scalar() or 1
        return Vocabulary(
            terms=terms or ["a"],
            languages=languages(conn),
            outlets=[name for name, _ in outlets(conn, limit=100)],
            codes=codes or ["USA"],
            countries=countries or ["US"],
            roots=sorted(figures.events_by_root) or ["04"],
            first_day=figures.first_day or dt.date(2020, 1, 1),
            last_day=figures.last_day or dt.date(2020, 12, 31),
            max_article=int(max_article),
            max_event=int(max_event),
            articles=figures.articles,
            events=figures.events,
        )


def _window(rng: random.Random, v: Vocabulary, days: int) -> dict[str, str]:
    span = max(1, (v.last_day - v.first_day).days)
    start = v.first_day + dt.timedelta(days=rng.randrange(span))
    return {"date_from": start.isoformat(), "date_to": (start + dt.timedelta(days=days)).isoformat()}


def make_request(kind: str, rng: random.Random, v: Vocabulary) -> tuple[str, dict[str, Any]]:
    """``(path, params)`` of one random query of ``kind``."""
    if kind == "articles.search":
        return "/api/articles", {
            "q": " ".join(rng.sample(v.terms, k=min(len(v.terms), rng.choice((1, 1, 2)))))
        }
    if kind == "articles.filter":
        params: dict[str, Any] = _window(rng, v, 60)
        if rng.random() < 0.5 and v.languages:
            params["language"] = rng.choice(v.languages)
        if rng.random() < 0.3 and v.outlets:
            params["outlet"] = rng.choice(v.outlets)
        return "/api/articles", params
    if kind == "articles.detail":
        return f"/api/articles/{rng.randint(1, v.max_article)}", {}
    if kind == "events.detail":
        return f"/api/events/{rng.randint(1, v.max_event)}", {}
    if kind == "events.actor":
        return f"/api/actors/{rng.choice(v.codes)}/events", {}
    params = dict[str, Any](_window(rng, v, rng.choice((7, 30, 90)))) if rng.random() < 0.7 else {}
    choice = rng.random()
    if choice < 0.3:
        params["root"] = rng.choice(v.roots)
    elif choice < 0.55:
        params["actor"] = rng.choice(v.codes)[:3]
    elif choice < 0.75:
        params["country"] = rng.choice(v.countries)
    params["offset"] = rng.choice((0, 0, 0, 50))
    return "/api/events", params
