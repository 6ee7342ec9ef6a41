"""ingest: sources → raw bytes + metadata (files, stdin, URLs, WARC, RSS, corpus JSONL)."""

from veille.ingest.sources import read_source

__all__ = ["read_source"]
