"""`veille ingest` and `veille export` from the command line (real pipeline, tiny inputs)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from veille.cli import app

RUNNER = CliRunner()
RECORDS = [
    {
        "id": "1",
        "lang": "en",
        "url": "https://n.example/1",
        "title": "Talks",
        "published": "2020-02-01",
        "source": "News Example",
        "text": "Mike Pompeo arrived in Minsk on Saturday for talks with Belarusian leaders.",
    },
    {
        "id": "2",
        "lang": "fr",
        "url": None,
        "title": "Pluie",
        "published": "2020-02-02",
        "source": "Le Journal",
        "text": "Il a beaucoup plu dimanche sur la Bretagne, selon Météo-France.",
    },
]


def test_ingest_twice_then_export(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in RECORDS) + "{bad\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'v.sqlite'}"
    first = RUNNER.invoke(app, ["ingest", str(corpus), "--db", db])
    assert first.exit_code == 0, first.output
    assert "2 new, 0 unchanged, 0 updated, 1 failed" in first.stdout
    assert "skipped" in first.stderr and "c.jsonl:3" in first.stderr
    second = RUNNER.invoke(app, ["ingest", str(corpus), "--db", db])
    assert "0 new, 2 unchanged" in second.stdout
    out = tmp_path / "out.jsonl"
    exported = RUNNER.invoke(app, ["export", "--format", "jsonl", "--db", db, "-o", str(out)])
    assert exported.exit_code == 0 and "wrote 2 rows" in exported.stdout
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [d["article"]["url"] for d in docs] == ["https://n.example/1", None]
    events = tmp_path / "events.tsv"
    assert (
        RUNNER.invoke(app, ["export", "--format", "gdelt-events", "--db", db, "-o", str(events)]).exit_code
        == 0
    )
    assert all(len(line.split("\t")) == 61 for line in events.read_text().splitlines())


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    nothing = RUNNER.invoke(
        app, ["ingest", str(tmp_path / "missing.jsonl"), "--db", f"sqlite:///{tmp_path}/x.db"]
    )
    assert nothing.exit_code == 2 and "no such file or folder" in nothing.stderr
    bad_format = RUNNER.invoke(app, ["export", "--format", "csv", "-o", str(tmp_path / "x")])
    assert bad_format.exit_code == 2
    bad_db = RUNNER.invoke(
        app, ["export", "--format", "jsonl", "--db", "mysql://u@h/db", "-o", str(tmp_path / "y")]
    )
    assert bad_db.exit_code == 3 and bad_db.stderr.startswith("veille: ") and "Traceback" not in bad_db.output
    assert len(bad_db.stderr.strip().splitlines()) == 1
