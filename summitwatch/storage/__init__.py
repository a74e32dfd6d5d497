"""Storage: the only place that touches the ORM models.

Submodules group the queries by what they serve: ``catalog`` (feeds, recipients, watched
countries), ``items`` (ingestion, verdicts, digest candidates), ``reviews`` (reviewers' decisions
and the labels they make), ``queue`` (the review queue's pages, filters and exports), ``outbox``
(digest delivery), ``registry`` (trained models), ``work`` (what is due, for both runners) and
``jobqueue`` (workers mode's job tables). They take a ``Database`` and return frozen dataclasses
from ``summitwatch.records`` or from the leaf packages, never ORM objects.
"""
