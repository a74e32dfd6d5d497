"""Alembic environment: runs migrations on the engine the application hands over.

The application passes its engine through ``config.attributes`` so that migrations use exactly
the same connection settings (SQLite pragmas, PostgreSQL driver) as the running code; from the
command line ``summitwatch db upgrade`` does the same.
"""

from __future__ import annotations

from alembic import context

from summitwatch.storage.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
