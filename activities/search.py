"""The stored full-text document of an activity, for the public free-text search.

PostgreSQL keeps it in a generated column (``Activity.search_vector``): the
database computes it on every insert and update, whatever wrote the row (the
admin, an import, ``bulk_create``, COPY), and a GIN index makes the search a
lookup instead of recomputing every row's document. Other databases (SQLite in
development) have no full-text search: there the column is always NULL and the
search falls back to substrings (``ActivityQuerySet.search``).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Func

# The text search configuration: Swedish stemming ("patrulleringar" finds "patrullering").
CONFIG = "swedish"


class OnPostgreSQL(Func):
    """The wrapped expression on PostgreSQL, NULL on any other database."""

    output_field = SearchVectorField()

    def __init__(self, expression, **extra):
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


def activity_document() -> OnPostgreSQL:
    """Title (weight A), place (B) and description (C) in the Swedish configuration.

    Every function in it is immutable with an explicit configuration
    (``to_tsvector('swedish'::regconfig, …)``, ``setweight``, ``||``), as a
    generated column requires.
    """
    return OnPostgreSQL(
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("place", weight="B", config=CONFIG)
        + SearchVector("description", weight="C", config=CONFIG)
    )
