"""Assemble the :class:`~veille.models.Analysis` of one annotated Doc.

The steps run in dependency order: publication date (needs the date candidates and the
constraints), dates resolved against it, entities, then the records of later stages. Each step
lives in its own module of ``interpret/``; this one only wires them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from spacy.tokens import Doc

from veille.extract.result import Extracted
from veille.interpret.actors import code_actors, published_day  # also registers "actor-tenure"
from veille.interpret.claims import build_claims
from veille.interpret.dates import publication_candidates, resolve_dates
from veille.interpret.entities import entity_records
from veille.interpret.events import code_events
from veille.interpret.places import locate_places
from veille.interpret.published import decide_published
from veille.interpret.quotes import extract_quotes
from veille.models import Analysis, Article


def article_id(extracted: Extracted) -> str:
    """Stable id: the URL when known, else the clean text (same page → same id)."""
    basis = extracted.url or extracted.text
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def build_analysis(
    doc: Doc,
    extracted: Extracted,
    *,
    lang: str,
    source: str,
    published: dt.date | None,
    version: str,
) -> Analysis:
    chosen = decide_published(
        doc,
        user=published,
        metadata=extracted.published,
        metadata_evidence=extracted.published_evidence,
        candidates=publication_candidates(doc),
    )
    article = Article(
        id=article_id(extracted),
        url=extracted.url,
        title=extracted.title,
        language=lang,
        published=chosen,
        text=extracted.text,
        removed=extracted.removed,
        source=extracted.outlet,
    )
    actors = code_actors(doc, at=published_day(chosen.date))
    quotes = extract_quotes(doc, actors=actors)
    dates = resolve_dates(doc, reference=published_day(chosen.date), lang=lang)
    places = locate_places(doc, lang=lang, actors=actors)
    claims = build_claims(doc, quotes=quotes, actors=actors)
    return Analysis(
        veille_version=version,
        article=article,
        dates=dates,
        entities=entity_records(doc),
        actors=actors,
        places=places,
        quotes=quotes,
        claims=claims,
        # Last: events link to the actors, dates, places and claims above.
        events=code_events(
            doc,
            actors=actors,
            dates=dates,
            places=places,
            claims=claims,
            published=published_day(chosen.date),
            quotes=quotes,
        ),
    )
