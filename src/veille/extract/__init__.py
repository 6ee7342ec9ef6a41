"""extract: raw page → clean text, title, published date from metadata, removed boilerplate."""

from veille.extract.cleaner import extract

__all__ = ["extract"]
