"""On the demo's sample corpus: the denied training-centre claim shows its origin, its denial and the
outlet that repeated it as fact (issue 7's acceptance item; rules are general, nothing is keyed to
the demo articles)."""

from __future__ import annotations

from pathlib import Path

from veille.store import Store
from veille.store.demo import ingest_demo
from veille.store.queries import claim_summaries


def test_demo_training_centre_claim_shows_denial_and_repeating_outlet(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    report, store_summary = ingest_demo(url)
    assert report.counts["failed"] == 0
    denied = [c for c in store_summary.claims if any(v.status == "denied" for v in c.verdicts)]
    centre = next(c for c in denied if "Telegram" in c.chain)
    assert centre.chain[0] == "Telegram"
    assert any("Défense" in (v.by or "") for v in centre.verdicts if v.status == "denied")
    assert "Le Quotidien de l'Est" in centre.asserted_by and centre.contradiction
    (echo,) = [e for e in centre.echoes if e.outlet == "Le Quotidien de l'Est"]
    assert "centre de formation" in echo.text and echo.end - echo.start == len(echo.text)
    # The outlets that only report or deny the claim are not counted as repeating it as fact.
    assert {e.outlet for e in centre.echoes} == {"Le Quotidien de l'Est"}
    # Ingesting again changes nothing.
    again, _ = ingest_demo(url)
    assert again.counts["new"] == 0 and again.relinked is None
    with Store.open(url) as store, store.read() as conn:
        centre_again = next(c for c in claim_summaries(conn) if c.id == centre.id)
    assert centre_again.echoes == centre.echoes
