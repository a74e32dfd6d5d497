"""Storage: the only place that touches the ORM models.

Submodules group the queries by what they serve: ``catalog`` (feeds, recipients, watched
countries), ``items`` (ingestion, verdicts, reviews, queues) and ``outbox`` (digest delivery).
They take a ``Database`` and return frozen dataclasses from ``summitwatch.records`` or from the
leaf packages, never ORM objects.
"""
