"""The ``veille`` command: a thin typer shell over the library (:mod:`veille.pipeline`, the store,
the API, the Spark job, the watcher). One module per group of commands; :mod:`veille.cli.common`
holds the app, the error handling and the shared options.
"""

from __future__ import annotations

import sys

from veille.cli import analysis, batch, serve, store, watch  # noqa: F401  (register the commands)
from veille.cli.common import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # `veille analyze … | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
