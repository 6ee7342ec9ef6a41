"""Small parts of the watcher: durations, backoff, watchlists, sitemaps, planning, the migration."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest
import yaml
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import veille.store.watch_tables  # noqa: F401  (the watch tables' models, for the comparison)
from veille.errors import InputError
from veille.ingest.raw import RawDocument
from veille.settings import Settings
from veille.store.engine import alembic_config, create_engines, include_object, migrate
from veille.store.schema import Base
from veille.watch.documents import list_document, parse_sitemap
from veille.watch.plan import decide
from veille.watch.runner import parse_every
from veille.watch.state import ItemState, backoff
from veille.watch.watchlist import load_watchlist, parse_watchlist

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example/a.html</loc><lastmod>2025-03-10T08:00:00Z</lastmod></url>
  <url><loc>https://news.example/b.html</loc>
    <news:news><news:publication_date>2025-03-09</news:publication_date><news:title>Deux</news:title></news:news>
  </url>
  <url><loc>javascript:alert(1)</loc></url>
</urlset>"""


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("1h30m", 5400), ("90s", 90), ("2h", 7200), ("45", 45), ("0s", 0)]
)
def test_parse_every(text: str, seconds: float) -> None:
    assert parse_every(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "soon", "15 minutes", "-5m", "m"])
def test_parse_every_refuses(text: str) -> None:
    with pytest.raises(InputError, match="--every"):
        parse_every(text)


def test_backoff_doubles_up_to_the_cap() -> None:
    base, cap = dt.timedelta(minutes=1), dt.timedelta(minutes=10)
    assert [backoff(n, base=base, cap=cap).total_seconds() / 60 for n in range(6)] == [0, 1, 2, 4, 8, 10]
    assert backoff(10_000, base=base, cap=cap) == cap


def test_watchlist_rules(tmp_path: Path) -> None:
    path = tmp_path / "veille.yaml"
    path.write_text(
        "rules:\n"
        "  - name: sahel\n    cameo: ['18', '19']\n    plover: [assault]\n    countries: [MLI, bf]\n"
        "    thresholds: {burst_events: 3}\n"
        "  - name: otan\n    actors: [Jens Stoltenberg, IGOWSTNAT]\n    keywords: [Défense]\n",
        encoding="utf-8",
    )
    sahel, otan = load_watchlist(path).rules
    assert sahel.alerts == {"burst"} and sahel.plover == {"ASSAULT"} and sahel.burst_events == 3
    assert sahel.countries == {"ML", "MLI", "BF", "BFA"} and sahel.burst_hours == 24
    assert otan.alerts == {"new_claim", "status_change", "contradiction"}
    assert otan.actor_names == ("jens stoltenberg",) and otan.actor_codes == ("IGOWSTNAT",)
    assert otan.keywords == ("defense",)
    single = parse_watchlist({"keywords": ["Brest"]}, source="x", default_name="brest")
    assert [r.name for r in single.rules] == ["brest"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "a watchlist is a mapping"),
        ({"rules": []}, "non-empty list"),
        ({"rules": [{"keywords": ["a"]}]}, "rule 1 has no name"),
        ({"rules": [{"name": "a", "keyword": ["a"]}]}, "unknown key(s) ['keyword']"),
        ({"name": "a", "countries": ["Atlantis"]}, "unknown country code 'Atlantis'"),
        ({"name": "a", "cameo": ["x19"]}, "CAMEO types are 2 to 4 digits"),
        ({"name": "a", "alerts": ["burst"], "keywords": ["k"]}, "burst alert needs"),
        ({"name": "a", "alerts": ["new_claim"]}, "new_claim alert needs"),
        ({"name": "a", "cameo": ["19"], "thresholds": {"burst_events": 0}}, "positive integer"),
        ({"rules": [{"name": "a"}, {"name": "a"}]}, "unique"),
    ],
)
def test_watchlist_errors(data: object, message: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_watchlist(data, source="rules.yaml")
    assert message in raised.value.message and raised.value.source == "rules.yaml"


def test_sitemap_pages_dates_and_titles() -> None:
    pages, children, skipped = parse_sitemap(SITEMAP, source="s")
    assert [p.key for p in pages] == ["https://news.example/a.html", "https://news.example/b.html"]
    assert pages[0].meta["published"] == "2025-03-10" and pages[1].meta["title"] == "Deux"
    assert children == [] and len(skipped) == 1 and "javascript" in skipped[0].reason
    changed = SITEMAP.replace(b"2025-03-10T08:00:00Z", b"2025-03-11T09:00:00Z")
    assert parse_sitemap(changed, source="s")[0][0].signature != pages[0].signature


def test_gzipped_sitemap_index() -> None:
    index = (
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://news.example/s1.xml</loc></sitemap></sitemapindex>"
    )
    raw = RawDocument(source="s", data=gzip.compress(index))
    listing = list_document(raw, key="https://news.example/index.xml.gz", settings=Settings())
    assert listing.kind == "sitemapindex" and listing.children == ["https://news.example/s1.xml"]


def test_hostile_xml_is_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
        b'<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>https://news.example/&b;&x;</loc></url></urlset>"
    )
    pages, _children, _skipped = parse_sitemap(bomb, source="s")
    assert all("root:" not in p.key and "aaaaaaaaaa" not in p.key for p in pages)


def test_a_known_link_is_read_again_only_when_its_signature_changes() -> None:
    now = dt.datetime(2025, 3, 10)
    pages, _c, _s = parse_sitemap(SITEMAP, source="s")
    known = {
        pages[0].key: ItemState(pages[0].key, 1, 10, "h", pages[0].signature, 0, None, {}),
        pages[1].key: ItemState(pages[1].key, 1, 11, "h", "older signature", 0, None, {}),
    }
    plan = decide([(p, 1) for p in pages], known, now=now)
    assert [item.key for item, _s, _p in plan.to_fetch] == [pages[1].key]
    assert plan.unchanged == 1 and plan.settled == {pages[0].key}


def test_failed_links_wait_for_their_retry_time() -> None:
    now = dt.datetime(2025, 3, 10)
    pages, _c, _s = parse_sitemap(SITEMAP, source="s")
    later = now + dt.timedelta(minutes=5)
    known = {pages[0].key: ItemState(pages[0].key, 1, None, None, pages[0].signature, 2, later, {})}
    plan = decide([(pages[0], 1)], known, now=now)
    assert plan.waiting == 1 and not plan.to_fetch
    assert decide([(pages[0], 1)], known, now=later).to_fetch


WATCH_TABLES = ("watch_sources", "watch_items", "alerts", "alert_deliveries")


def _watch_table(diff: object) -> bool:
    """Whether an autogenerate diff (a tuple, or a list of tuples for column changes) is about our tables."""
    text = repr(diff)
    return any(f"'{name}'" in text or f"table={name}" in text or f"<{name}>" in text for name in WATCH_TABLES)


def test_migration_0003_matches_the_models(tmp_path: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    watch = script.get_revision("0003_watch")
    assert watch is not None and watch.down_revision == "0002_fulltext"
    engines = create_engines(f"sqlite:///{tmp_path / 'm.sqlite'}")
    try:
        migrate(engines)
        with engines.read.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": include_object, "compare_type": True}
            )
            diffs = compare_metadata(context, Base.metadata)
        # Only this migration's tables: other revisions are checked by the store's own tests.
        assert [d for d in diffs if _watch_table(d)] == []
        with engines.read.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        assert set(WATCH_TABLES) <= tables
    finally:
        engines.dispose()


def test_the_readme_watchlist_example_is_valid() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Watch", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    rules = parse_watchlist(yaml.safe_load(block), source="README.md").rules
    assert [r.name for r in rules] == ["brest", "sahel"] and rules[1].alerts == {"burst"}
