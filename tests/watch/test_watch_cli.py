"""`veille watch` from the command line: one-line errors with exit code 2, and a clean run."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner
from watch_fakes import rss

from veille.cli import app

RUNNER = CliRunner()


def _watch(*args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, ["watch", *args])
    return result.exit_code, result.stdout, result.stderr


def test_bad_every_is_a_usage_error(tmp_path: Path) -> None:
    code, _out, err = _watch(
        "http://127.0.0.1:9/feed.xml", "--every", "soon", "--db", str(tmp_path / "w.sqlite")
    )
    assert code == 2 and err.startswith("veille: --every expects a duration") and err.count("\n") == 1


def test_missing_source_file(tmp_path: Path) -> None:
    code, _out, err = _watch(str(tmp_path / "nope.xml"), "--db", str(tmp_path / "w.sqlite"))
    assert code == 2 and "nope.xml: no such file" in err and "Traceback" not in err


def test_bad_watchlist_names_the_file_and_the_problem(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: x\n    alerts: [gossip]\n", encoding="utf-8")
    feed = tmp_path / "feed.xml"
    feed.write_text(rss("Vide", []), encoding="utf-8")
    code, _out, err = _watch(str(feed), "--watchlist", str(rules), "--db", str(tmp_path / "w.sqlite"))
    assert code == 2 and f"{rules}: rule 'x': unknown alert kind(s) ['gossip']" in err


def test_cycles_must_be_positive(tmp_path: Path) -> None:
    code, _out, err = _watch("http://127.0.0.1:9/", "--cycles", "0")
    assert code == 2 and "--cycles must be at least 1" in err


def test_a_run_prints_one_summary_line_per_cycle(server, tmp_path: Path) -> None:
    server.set("/feed.xml", rss("Vide", []), content_type="application/rss+xml")
    url = server.url("/feed.xml")
    db = str(tmp_path / "w.sqlite")
    alerts = str(tmp_path / "alerts.jsonl")
    args = ("--cycles", "2", "--every", "0s", "--alerts", alerts, "--db", db)
    code, out, err = _watch(url, *args, "--allow-private-network")
    assert code == 0, err
    assert out == "" and [line.split(":")[0] for line in err.splitlines()] == ["cycle 1", "cycle 2"]
    assert "1 sources (0 unchanged" in err.splitlines()[0] and "1 sources (1 unchanged" in err.splitlines()[1]
    code, out, err = _watch(url, "--cycles", "1", "--db", str(tmp_path / "v.sqlite"))
    assert code == 0 and "1 failed" in err  # loopback refused without --allow-private-network
    assert err.startswith(f"veille: {url}: refused: 127.0.0.1 resolves to a loopback address")
