"""`veille bench` measures both paths on the same articles and reports the contract's keys."""

from __future__ import annotations

from veille.demo import sample_corpus
from veille.evaluate.bench import load_articles, render_table, run_bench
from veille.settings import Settings


def test_bench_on_a_few_sample_articles() -> None:
    settings = Settings()
    articles = load_articles([sample_corpus()], n=3, settings=settings)
    assert len(articles) == 3
    result = run_bench(articles, settings=settings)
    metrics = result.metrics()
    assert set(metrics) >= {
        "articles",
        "tokens",
        "parse_only_tok_s",
        "pipeline_tok_s",
        "ratio",
        "peak_rss_mb",
    }
    assert metrics["articles"] == 3 and metrics["tokens"] > 0
    assert metrics["ratio"] > 0 and metrics["peak_rss_mb"] > 0
    assert "ratio" in render_table(result)


def test_load_articles_takes_corpora_in_turn() -> None:
    path = sample_corpus()
    articles = load_articles([path, path], n=4, settings=Settings())
    # zip_longest over two copies of one corpus: each record appears twice in a row.
    sources = [a.source for a in articles]
    assert sources[0] == sources[1] and sources[2] == sources[3]
