"""store: SQLAlchemy models, migrations, the single write path, queries, linking and exports.

Open a database with :meth:`Store.open` (SQLite file by default, ``postgresql://`` for a shared
PostgreSQL); it migrates itself to the latest schema. Never calls spaCy: it stores
:class:`veille.models.Analysis` records made by :mod:`veille.pipeline`.
"""

from veille.store.core import RelinkStats, Store
from veille.store.write import SourceInfo, WriteResult, content_hash

__all__ = ["RelinkStats", "SourceInfo", "Store", "WriteResult", "content_hash"]
