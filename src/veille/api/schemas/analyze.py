"""Schema of the JSON form of ``POST /api/analyze`` (the response is the contract JSON itself)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AnalyzeRequest(BaseModel):
    """One page to analyse: plain ``text`` or an ``html`` page, with optional metadata.

    ``url`` is metadata only (the article's address): the API never fetches it.
    """

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="plain text of the article")
    html: str | None = Field(default=None, description="an HTML page (cleaned like `veille analyze`)")
    url: str | None = Field(default=None, max_length=2048)
    title: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=200, description="outlet name")
    published: dt.date | None = None
    lang: Literal["auto", "fr", "en"] = "auto"
