"""What every ``veille`` command shares: the typer app, error handling and common options.

Errors a user can cause become one line on stderr and exit code 2 (3 for installation or store
problems); never a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, TypeVar

import typer

from veille.errors import VeilleError
from veille.settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="veille: news event & claim intelligence with evidence (French-first).",
    pretty_exceptions_enable=False,
)

T = TypeVar("T")


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


def fail(message: str, *, code: int = 2) -> typer.Exit:
    typer.echo(f"veille: {message}", err=True)
    return typer.Exit(code)


def guarded(func: Callable[[], T]) -> T:
    """Run a command body, turning veille's errors into a one-line message and an exit code."""
    try:
        return func()
    except VeilleError as exc:
        raise fail(str(exc), code=exc.exit_code) from None
    except KeyboardInterrupt:
        raise fail("interrupted", code=130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # a bug, not the user's fault: still one line, but say so
        raise fail(f"internal error ({type(exc).__name__}: {exc}); please report it", code=1) from None


def parse_day(value: str | None, *, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} expects YYYY-MM-DD, got {value!r}") from None


ModelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        help="spaCy model to use instead of the default of its language, told by its name's prefix "
        "(fr_core_news_sm replaces the French model); repeatable",
    ),
]
NProcessOption = Annotated[
    int, typer.Option("--n-process", help="worker processes (each loads its own models)")
]


def with_models(settings: Settings, models: list[str] | None) -> Settings:
    """``settings`` with the ``--model`` choices (an unknown prefix is a usage error)."""
    if not models:
        return settings
    try:
        return settings.with_models(models)
    except VeilleError as exc:
        raise fail(f"--model: {exc}") from None


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="database URL: sqlite:///PATH (default: in the user data folder) or postgresql://…"
    ),
]
