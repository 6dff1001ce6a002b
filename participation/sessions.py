"""Browser sessions in the database, as Django's own backend (SESSION_ENGINE), but read
with one plain statement. Every page and every socket opened reads its session: a room of
participants connecting at once reads hundreds within seconds, in one server process, and
building that one lookup through the ORM cost several times the CPU of running it. Writing,
expiry and clearing are Django's."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """As Django's: the unexpired session of this key, None (and no key) if there is
        none."""
        key = self.session_key
        if key is None:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)}"  # noqa: S608
                f" WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s",
                [key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])
