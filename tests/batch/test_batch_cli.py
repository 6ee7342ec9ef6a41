"""`veille batch` user errors: one line on stderr, the right exit code, before Spark starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.batch import session
from veille.cli import app


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["batch", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_missing_input(tmp_path: Path) -> None:
    code, stdout, stderr = run(str(tmp_path / "nope.jsonl"), str(tmp_path / "out"))
    assert code == 2 and stdout == ""
    assert one_line(stderr) == f"veille: {tmp_path / 'nope.jsonl'}: no such file or folder"


def test_input_of_the_wrong_kind(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    code, _, stderr = run(str(page), str(tmp_path / "out"))
    assert code == 2 and "not a corpus .jsonl(.gz) or a .warc(.gz) file" in one_line(stderr)


@pytest.mark.parametrize(
    ("option", "problem"),
    [
        (["--conf", "spark.ui.enabled"], "--conf expects KEY=VALUE"),
        (["--partitions", "0"], "--partitions must be at least 1"),
        (["--lang", "de"], "--lang must be auto, fr or en"),
    ],
)
def test_bad_options(tmp_path: Path, option: list[str], problem: str) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Un texte."}\n', encoding="utf-8")
    code, _, stderr = run(str(corpus), str(tmp_path / "out"), *option)
    assert code == 2 and problem in one_line(stderr)


def test_output_is_a_file_or_not_empty(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Un texte."}\n', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.parquet").write_bytes(b"")
    code, _, stderr = run(str(corpus), str(out))
    assert code == 2 and "output folder is not empty (use --overwrite to replace it)" in one_line(stderr)
    code, _, stderr = run(str(corpus), str(corpus))
    assert code == 2 and "output must be a folder, and this is a file" in one_line(stderr)


def test_spark_missing_is_an_installation_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "Un texte."}\n', encoding="utf-8")
    monkeypatch.setattr(session, "missing_requirement", lambda: "Java is not installed (test)")
    code, _, stderr = run(str(corpus), str(tmp_path / "out"))
    assert code == 3 and one_line(stderr) == "veille: Java is not installed (test)"
