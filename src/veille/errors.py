"""The few error types a user can cause. Shells map them to exit codes / HTTP statuses.

Messages are plain sentences naming the input and the problem; formatting for a terminal or an
HTTP body happens at the edges (``cli.py``, ``api/``).
"""

from __future__ import annotations


class VeilleError(Exception):
    """Base of every error veille raises on purpose."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class InputError(VeilleError):
    """The input is empty, too large, binary, undecodable, or not a page at all."""

    http_status = 422


class FetchError(VeilleError):
    """A URL could not be read: refused by the guard, unreachable, too large, bad status."""

    http_status = 502


class ModelError(VeilleError):
    """A spaCy model or data file is missing: an installation problem, not a user input problem."""

    exit_code = 3
    http_status = 500


class StoreError(VeilleError):
    """The database could not be opened or written."""

    exit_code = 3
    http_status = 503
