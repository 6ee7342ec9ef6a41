"""Alembic environment: uses the connection handed over by ``veille.store.engine.migrate``.

Run from the command line too: ``alembic -c <cfg>`` with ``sqlalchemy.url`` set (developers
generating a new revision: ``alembic revision --autogenerate -m what``, then rename the file
``NNNN_what.py`` and set ``revision = "NNNN_what"``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from veille.store.engine import include_object
from veille.store.schema import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as fresh:
        _run(fresh)
        fresh.commit()


run()
