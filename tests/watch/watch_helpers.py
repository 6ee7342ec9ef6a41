"""Running watcher cycles in tests: one fresh polite client per cycle, loopback allowed."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from veille.settings import FetchSettings, Settings
from veille.watch import ClientLimits, CycleReport, PoliteClient, Watcher, WatchOptions

LOOPBACK = FetchSettings(allow_private_network=True, timeout_s=1.0, total_timeout_s=3.0)


def loopback_settings(**changes: Any) -> Settings:
    return replace(Settings(fetch=LOOPBACK, batch_size=2), **changes)


def options(**changes: Any) -> WatchOptions:
    base = WatchOptions(every=dt.timedelta(0), backoff_base=dt.timedelta(minutes=1), limits=ClientLimits())
    return replace(base, **changes)


def run_cycle(watcher: Watcher) -> CycleReport:
    async def main() -> CycleReport:
        client = PoliteClient(
            fetch=watcher.settings.fetch,
            max_bytes=watcher.settings.max_input_bytes,
            limits=watcher.options.limits,
        )
        async with client:
            return await watcher.cycle(client)

    return asyncio.run(main())


def read_alerts(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
