"""Bad input through `veille analyze`: one line on stderr naming the source, exit code 2, no traceback."""

from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.cli import app

FRENCH_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Le port de Sète accueille un nouveau terminal</title></head><body><article>
<h1>Le port de Sète accueille un nouveau terminal</h1>
<p>Le nouveau terminal à conteneurs du port de Sète a été inauguré vendredi en présence des élus de la région.
Il doit permettre de doubler le trafic d'ici cinq ans, selon la direction du port.</p>
<p>Les dockers ont salué un investissement très attendu, mais s'inquiètent des cadences imposées
par les armateurs et réclament l'embauche de quarante agents supplémentaires avant l'été.</p>
</article></body></html>"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["analyze", *args])
    # A traceback would surface as an exception other than the typer/click exit.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def assert_one_line_error(source: str, problem: str, *args: str) -> None:
    code, stdout, stderr = run(source, "--format", "json", *args)
    assert code == 2
    assert stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"veille: {source}: "), lines[0]
    assert problem in lines[0]
    assert "Traceback" not in stderr


def unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n\n \t\n")
    assert_one_line_error(str(empty), "empty input")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 40,
        gzip.compress(b"du texte compresse " * 50),
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 300,
    ],
)
def test_binary_garbage(tmp_path: Path, data: bytes) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(data)
    assert_one_line_error(str(garbage), "not a text or HTML page")


def test_fifty_megabytes(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no disk used, never committed
    assert_one_line_error(str(big), "input larger than the")


def test_directory(tmp_path: Path) -> None:
    assert_one_line_error(str(tmp_path), "is a directory")


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(str(tmp_path / "nope.html"), "no such file")


def test_html_without_any_text(tmp_path: Path) -> None:
    cut = tmp_path / "cut.html"
    cut.write_text(FRENCH_PAGE[: FRENCH_PAGE.index("<title>")], encoding="utf-8")  # truncated in <head>
    assert_one_line_error(str(cut), "no article text found")


def test_unreachable_url() -> None:
    url = f"http://127.0.0.1:{unused_port()}/article.html"
    assert_one_line_error(url, "cannot connect", "--allow-private-network")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://10.0.0.1/page.html", "private address"),
        ("http://169.254.169.254/latest/meta-data/", "link-local address"),
        ("http://[::1]:8080/", "loopback address"),
        ("http://localhost/", "loopback host name"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
def test_refused_urls(url: str, problem: str) -> None:
    assert_one_line_error(url, problem)


def test_truncated_html_and_wrong_encoding_still_work(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.html"
    truncated.write_text(FRENCH_PAGE[: FRENCH_PAGE.index("Les dockers") + 20], encoding="utf-8")
    wrong = tmp_path / "wrong.html"
    wrong.write_bytes(FRENCH_PAGE.encode("cp1252"))  # declares utf-8
    code, stdout, stderr = run(str(truncated), str(wrong), "--format", "jsonl")
    assert code == 0, stderr
    first, second = (json.loads(line) for line in stdout.splitlines())
    assert first["article"]["title"] == "Le port de Sète accueille un nouveau terminal"
    assert "inauguré vendredi" in first["article"]["text"]
    assert first["article"]["language"] == "fr"
    assert "inauguré vendredi" in second["article"]["text"]
    assert "Ã" not in second["article"]["text"]
