"""Pydantic schemas of the API, one module per resource (what ``/openapi.json`` documents)."""
