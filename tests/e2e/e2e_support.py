"""What the e2e fixtures hand to the tests: the served store, and a watched browser page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class Served:
    base: str
    seed_id: int
    ids: dict[str, int]


@dataclass
class Watched:
    """A page with what it reported: console errors (CSP violations show here) and dialogs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path
