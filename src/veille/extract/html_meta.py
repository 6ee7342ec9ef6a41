"""Page metadata from the HTML tree: publication date (htmldate) and where it came from, language
hint, canonical URL, outlet name.

The publication date is htmldate's ``original_date`` (the first publication, not the last update)
with ``extensive_search=False``: only the page's markup is read (meta tags, JSON-LD, ``<time>``,
date-bearing URL paths), never dates written in the running text, which the date stage handles
with its own evidence. A page without dated markup gets no metadata date rather than a guess.
htmldate does not say where it found the date, so :func:`date_location` looks for the same day in
the usual places to fill ``PublishedEvidence.why`` honestly ("metadata: htmldate" when it cannot).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from htmldate import find_date
from lxml.html import HtmlElement

from veille.models import PublishedEvidence

# Meta names/properties/itemprops that carry a first-publication date (lowercased).
_PUBLISHED_META = frozenset(
    {
        "article:published_time",
        "og:article:published_time",
        "og:published_time",
        "datepublished",
        "datecreated",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "publication_date",
        "date",
        "dc.date",
        "dc.date.issued",
        "dc.date.created",
        "dcterms.created",
        "dcterms.issued",
        "sailthru.date",
        "parsely-pub-date",
        "citation_publication_date",
        "article.published",
    }
)
_JSONLD_DATE = re.compile(r'"(datePublished|dateCreated)"\s*:\s*"([^"]{6,40})"')
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
_LANG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
_MAX_WHERE = 160


@dataclass(frozen=True, kw_only=True)
class PageMeta:
    published: str | None = None
    published_evidence: tuple[PublishedEvidence, ...] = ()
    language_hint: str | None = None
    url: str | None = None
    outlet: str | None = None


def page_meta(tree: HtmlElement, *, url: str | None, today: dt.date | None = None) -> PageMeta:
    canonical = canonical_url(tree, base=url)
    published, evidence = published_date(tree, url=canonical or url, today=today)
    return PageMeta(
        published=published,
        published_evidence=evidence,
        language_hint=language_hint(tree),
        url=canonical,
        outlet=_meta_content(tree, "og:site_name"),
    )


def published_date(
    tree: HtmlElement, *, url: str | None, today: dt.date | None = None
) -> tuple[str | None, tuple[PublishedEvidence, ...]]:
    limit = (today or dt.date.today()).isoformat()
    try:
        found = find_date(
            tree,
            extensive_search=False,
            original_date=True,
            outputformat="%Y-%m-%d",
            url=url,
            max_date=limit,
        )
    except (ValueError, TypeError, OverflowError):  # htmldate on hostile markup: no date, no crash
        found = None
    if not found:
        return None, ()
    where = date_location(tree, found, url=url)
    return found, (PublishedEvidence(start=0, end=0, text="", why=f"metadata: {where}"),)


def date_location(tree: HtmlElement, day: str, *, url: str | None) -> str:
    """Where the page's markup states ``day`` (YYYY-MM-DD): meta tag, JSON-LD, <time>, URL."""
    for meta in tree.iter("meta"):
        for attr in ("property", "name", "itemprop"):
            name = (meta.get(attr) or "").strip()
            content = meta.get("content") or ""
            if name.lower() in _PUBLISHED_META and content.strip().startswith(day):
                return _clip(f'<meta {attr}="{name}" content="{content.strip()}">')
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or ""):
            continue
        for key, value in _JSONLD_DATE.findall(script.text or ""):
            if value.startswith(day):
                return _clip(f'JSON-LD {key} "{value}"')
    for time in tree.iter("time"):
        value = (time.get("datetime") or "").strip()
        if value.startswith(day):
            return _clip(f'<time datetime="{value}">')
    match = _URL_DATE.search(url or "")
    if match and _iso(*match.groups()) == day:
        return _clip(f"URL path {match.group(0).strip('/-')}")
    return "htmldate (page markup)"


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_WHERE else text[: _MAX_WHERE - 1] + "…"


def _meta_content(tree: HtmlElement, *names: str) -> str | None:
    wanted = {n.lower() for n in names}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").strip().lower()
        if key in wanted:
            content = " ".join((meta.get("content") or "").split())
            if content:
                return content
    return None


def language_hint(tree: HtmlElement) -> str | None:
    """Primary language subtag from <html lang>, og:locale or Content-Language ("fr-FR" → "fr")."""
    candidates = [tree.get("lang"), tree.get("xml:lang"), _meta_content(tree, "og:locale")]
    candidates.append(_meta_content(tree, "content-language", "language", "dc.language"))
    for value in candidates:
        match = _LANG.match(value or "")
        if match:
            return match.group(1).lower()
    return None


def canonical_url(tree: HtmlElement, *, base: str | None) -> str | None:
    """The page's own URL: <link rel=canonical>, then og:url, then the URL it was fetched from."""
    found: list[str] = []
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            found.append(link.get("href") or "")
    og = _meta_content(tree, "og:url")
    if og:
        found.append(og)
    for href in found:
        absolute = urljoin(base or "", href.strip())
        if re.match(r"^https?://[^/\s]+", absolute):
            return absolute
    return base
