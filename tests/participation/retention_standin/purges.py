"""A purge that fails for real: its query names a table that does not exist, so the database
refuses it and rolls back what this purge did."""

from django.db import connection

from participation.purging import Purge


def remove_from_a_missing_table(*, before):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM retention_standin_missing WHERE created < %s", [before])
        return cursor.rowcount


PURGES = [Purge("live_names", remove_from_a_missing_table)]
