"""Alembic migrations of the SummitWatch schema."""
