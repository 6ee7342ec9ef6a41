"""Schemas shared by every resource: pages of results and error bodies."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Schema(BaseModel):
    """Base of the API's response schemas: read from the store's dataclasses."""

    model_config = ConfigDict(from_attributes=True)


class Page(Schema, Generic[T]):
    items: list[T]
    total: int = Field(description="number of matches (a lower bound when `exact` is false)")
    exact: bool = Field(description="false when the count stopped at the cap (10,000)")
    limit: int
    offset: int


class ErrorBody(BaseModel):
    error: str
    source: str | None = None
