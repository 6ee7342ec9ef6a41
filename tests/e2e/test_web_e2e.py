"""The web UI in a real browser (headless Chromium): search, read, click through to the evidence."""

from __future__ import annotations

import pytest
from e2e_support import Served, Watched

pytestmark = pytest.mark.e2e


def test_search_read_the_seed_denial_and_open_the_claim_graph(served: Served, laptop: Watched) -> None:
    page = laptop.page
    page.goto(served.base + "/")
    page.fill(".search-big input[name=q]", "Biélorussie OTAN")
    page.click(".search-big button")
    page.wait_for_url("**/articles?q=*")
    seed = page.locator(f'.results a[href="/articles/{served.seed_id}"]')
    assert "Defender Europe" in seed.inner_text()
    laptop.shot("e2e-search")
    seed.click()
    page.wait_for_url(f"**/articles/{served.seed_id}")

    denial = page.locator(".hl-claim.role-denial", has_text="complètement fausses").first
    denial.scroll_into_view_if_needed()
    assert denial.is_visible()
    colour = denial.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # painted, not just tagged
    denial.click()
    detail = page.locator("#detail")
    claim = detail.locator(".fact", has_text="Claim").first
    assert "denied" in claim.inner_text()
    assert "[denial]" in claim.inner_text()
    assert denial.evaluate("el => el.classList.contains('sel')")
    laptop.shot("e2e-article-denial")

    claim.locator("a", has_text="Provenance graph").click()
    page.wait_for_url("**/claims/*")
    graph = page.locator("svg#provenance")
    assert graph.is_visible()
    assert page.locator(".gnode.origin", has_text="Telegram").count() == 1
    assert page.locator(".gnode.denier").count() >= 1
    assert page.locator("path.edge.denies").count() >= 1
    laptop.shot("e2e-claim-graph")
    assert laptop.errors == []


def test_article_with_script_payloads_stays_inert(served: Served, laptop: Watched) -> None:
    page = laptop.page
    for path in (f"/articles/{served.ids['xss']}", "/events", "/places", "/articles?q=piégé", "/claims"):
        page.goto(served.base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
    page.goto(served.base + f"/articles/{served.ids['xss']}")
    assert "<script>" in page.locator("h1").inner_text()
    payload = page.locator(".hl", has_text="onerror").first
    payload.click()
    assert "onerror" in page.locator("#detail").inner_text()
    page.locator(".hl", has_text="<script>alert(4)").first.click()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img, iframe").count() == 0
    laptop.shot("e2e-xss-inert")
    assert laptop.dialogs == []
    assert laptop.errors == []


def test_event_filters_timeline_and_map(served: Served, laptop: Watched) -> None:
    page = laptop.page
    page.goto(served.base + "/events")
    page.select_option("select[name=root]", "11")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**/events?*root=11*")
    rows = page.locator("table.events tbody tr")
    assert rows.count() >= 1 and "112" in rows.first.inner_text()
    assert page.locator("svg.timeline rect").count() >= 1
    assert page.locator("svg.map .pin").count() >= 1
    laptop.shot("e2e-events")
    page.goto(served.base + "/actors")
    assert page.locator("svg#network .node").count() >= 2
    page.locator("svg#network .node").first.hover()
    assert page.locator("svg#network.focus").count() == 1
    laptop.shot("e2e-actors")
    assert laptop.errors == []


def test_phone_width_reads_without_sideways_scrolling(served: Served, phone: Watched) -> None:
    page = phone.page
    page.goto(served.base + f"/articles/{served.seed_id}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("#legend input[data-layer=quote]").uncheck()
    assert page.locator("#article-text.hide-quote").count() == 1
    page.locator(".hl-claim.role-denial").first.click()
    assert page.locator("#detail").is_visible()
    phone.shot("e2e-phone-article")
    page.locator("#detail button.close").click()
    for path in ("/", "/events", "/claims", "/actors"):
        page.goto(served.base + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    assert phone.errors == []
