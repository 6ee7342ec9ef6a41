"""Highlighting an article's facts: segments at every boundary, escaped text, fixed class names."""

from __future__ import annotations

import datetime as dt

from veille.store.read_articles import ArticleDetail, ClaimEvidenceItem, ClaimItem, QuoteItem, Span
from veille.web.highlight import Mark, article_facts, render, speaker_index


def test_overlapping_marks_are_cut_into_segments() -> None:
    html = render("abcdef", [Mark(1, 4, "e1", ("hl-event",)), Mark(2, 5, "q1", ("hl-quote", "spk-0"))])
    assert html == (
        'a<span class="anchor" id="m-e1"></span>'
        '<span class="hl hl-event" data-refs="e1" tabindex="0">b</span>'
        '<span class="anchor" id="m-q1"></span>'
        '<span class="hl hl-event hl-quote spk-0" data-refs="e1 q1" tabindex="0">cd</span>'
        '<span class="hl hl-quote spk-0" data-refs="q1" tabindex="0">e</span>f'
    )


def test_text_is_escaped() -> None:
    text = '<script>alert("x")</script> & <img onerror=1>'
    html = render(text, [Mark(0, 8, "c1", ("hl-claim",))])
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html


def test_no_marks_is_the_escaped_text() -> None:
    assert render("a < b", []) == "a &lt; b"


def _article(text: str) -> ArticleDetail:
    quote_start = text.index("Non")
    return ArticleDetail(
        id=1,
        uid="u",
        title="t",
        url=None,
        outlet=None,
        language="fr",
        published=dt.date(2021, 1, 1),
        published_source=None,
        published_evidence=[],
        text=text,
        removed=[],
        dates=[
            Span(
                7, "hier", text.index("hier"), text.index("hier") + 4, {"type": "date", "value": "2020-12-31"}
            )
        ],
        entities=[],
        actors=[],
        places=[],
        events=[],
        quotes=[
            QuoteItem(
                id=3,
                local_id="q1",
                quote="Non",
                start=quote_start,
                end=quote_start + 3,
                type="direct",
                speaker_name="Marie <Dupont>",
                speaker_code=None,
                speaker_start=0,
                speaker_end=5,
                speaker_mention=None,
                verb="dire",
                stance="neutral",
                via=[],
                evidence_start=quote_start,
                evidence_end=quote_start + 3,
            )
        ],
        claims=[
            ClaimItem(
                id=9,
                local_id="c1",
                text="x",
                origin=None,
                chain=[],
                status="denied",
                by="Marie",
                cluster_id=4,
                cluster_status="denied",
                cluster_articles=1,
                evidence=[
                    ClaimEvidenceItem(quote_start, quote_start + 3, "Non", "denial"),
                    ClaimEvidenceItem(0, len(text), text, "statement"),  # too broad: listed, not painted
                    ClaimEvidenceItem(0, 2, "Ma", "<bad role>"),
                ],
            )
        ],
        dedup_group=None,
        is_canonical=True,
    )


def test_article_facts_marks_and_records() -> None:
    text = "Marie a dit hier : « Non »."
    marks, facts = article_facts(_article(text))
    by_ref = {(m.ref, m.classes[0]): m for m in marks}
    assert text[by_ref[("q3", "hl-quote")].start : by_ref[("q3", "hl-quote")].end] == "Non"
    assert text[by_ref[("q3", "hl-speaker")].start : by_ref[("q3", "hl-speaker")].end] == "Marie"
    denial = by_ref[("c9", "hl-claim")]
    assert denial.classes == ("hl-claim", "role-denial", "st-denied")
    assert sum(1 for m in marks if m.ref == "c9") == 1  # statement and unknown roles are not painted
    assert facts["c9"].link == "/claims/4"
    assert facts["d7"].fields == [("type", "date"), ("value", "2020-12-31")]
    assert facts["q3"].title == "Marie <Dupont>"  # plain data: the page writes it with textContent


def test_speaker_colours_are_stable() -> None:
    quotes = _article("Marie a dit hier : « Non ».").quotes
    assert speaker_index(quotes * 2) == {"Marie <Dupont>": 0}
