"""Query parameters shared by several routers, with their validation (bad values are a 422)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path, Query
from pydantic import BeforeValidator, StringConstraints

from veille.store.read_common import MAX_OFFSET
from veille.store.read_events import EventFilter


def _blank_is_none(value: object) -> object:
    # A form's empty field (``?actor=&country=``) means "no filter", as if it were left out.
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(_blank_is_none)
# No control characters (PostgreSQL refuses NUL in text): a 422, not a database error.
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
# Ids fit the databases' 32-bit integer columns (a larger number is a 422, not an overflow).
MAX_ID = 2**31 - 1


# Constraints sit on the string itself so that a blank field (None) skips them.
_Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]+$", max_length=32)]
_Country = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}$")]
_Root = Annotated[str, StringConstraints(pattern=r"^(0[1-9]|1[0-9]|20)$")]
_Plover = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_]+$", max_length=32)]
_Words = Annotated[str, StringConstraints(pattern=PRINTABLE, max_length=200)]
_Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]

Limit = Annotated[int, Query(ge=1, le=200, description="results per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="results to skip")]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
DateFrom = Annotated[dt.date | None, Blank, Query(description="first day, YYYY-MM-DD (inclusive)")]
DateTo = Annotated[dt.date | None, Blank, Query(description="last day, YYYY-MM-DD (inclusive)")]
Actor = Annotated[
    _Code | None,
    Blank,
    Query(description="actor code or its start, as source or target (USA matches USAGOV, USAMIL…)"),
]
Country = Annotated[_Country | None, Blank, Query(description="ISO 3166 alpha-2 or alpha-3 (place or actor)")]
Root = Annotated[_Root | None, Blank, Query(description="CAMEO root code, 01 to 20")]
Plover = Annotated[_Plover | None, Blank, Query(description="PLOVER event type")]
Text = Annotated[_Words | None, Blank, Query(description="words to look for")]
Language = Annotated[_Language | None, Blank, Query(description="ISO 639-1 language code")]
Outlet = Annotated[_Words | None, Blank, Query(description="outlet name")]


async def event_filter(
    date_from: DateFrom = None,
    date_to: DateTo = None,
    actor: Actor = None,
    country: Country = None,
    root: Root = None,
    plover: Plover = None,
) -> EventFilter:
    # async although it awaits nothing: FastAPI would run a plain def in a worker thread.
    return EventFilter(
        date_from=date_from, date_to=date_to, actor=actor, country=country, root=root, plover=plover
    )
