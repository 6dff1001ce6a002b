"""PostgreSQL for the test suite: Django's backend, but a flush empties the tables with DELETE
instead of TRUNCATE.

A test marked `django_db(transaction=True)` (the browser journeys, the live servers, the
workers) commits real rows, and Django empties every table after it with `flush`. PostgreSQL's
TRUNCATE gives each of the ~100 tables (and each of their indexes) new files and syncs them at
commit: about three seconds per test, though such a test writes a few rows into a few tables.
DELETE of those few rows takes milliseconds. The rows end the same: all gone, in one
transaction; Django's foreign keys are DEFERRABLE INITIALLY DEFERRED on PostgreSQL, so the order
of the tables does not matter (a foreign key that is not would fail the flush loudly)."""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
