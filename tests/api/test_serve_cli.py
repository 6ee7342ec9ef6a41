"""``veille serve``: bad options give one line and exit code 2, before anything listens."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from veille.cli import app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "--port must be between 1 and 65535"),
        (["--max-body", "0"], "--max-body must be at least 1"),
        (
            ["--api-token-env", "VEILLE_TEST_NO_SUCH_VARIABLE"],
            "VEILLE_TEST_NO_SUCH_VARIABLE is unset or empty",
        ),
    ],
)
def test_bad_options(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 's.sqlite'}", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_database_url(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--db", "mysql://nowhere/db"])
    assert result.exit_code == 3
    assert "unsupported database" in result.output
