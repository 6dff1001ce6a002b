"""The hot path of a vote in plain SQL. Hundreds of participants may vote within seconds,
all in one server process that also writes every update frame to every socket; building
these few statements through the ORM cost more CPU than the rest of a vote together
(query compilation, bulk_create), so they are written out. Everything else uses the ORM.

Each function runs inside the caller's transaction."""

import json

from django.db import connection, transaction

from workshops.models import Workshop

from .models import Activity, DotVote, LiveEvent, LiveParticipant, LiveSession

PARTICIPANT = LiveParticipant._meta.db_table
SESSION = LiveSession._meta.db_table
ACTIVITY = Activity._meta.db_table
EVENT = LiveEvent._meta.db_table
DOTS = DotVote._meta.db_table


def _postgres():
    return connection.vendor == "postgresql"


_LOCK_PARTICIPANT = (
    f"SELECT p.removed_at, s.id, s.status, w.status FROM {PARTICIPANT} p"  # noqa: S608
    f" JOIN {SESSION} s ON s.id = p.session_id"
    f" JOIN {Workshop._meta.db_table} w ON w.id = s.workshop_id"
    f" WHERE p.id = %s"
)
_ACTIVITY = (
    f"SELECT id, session_id, kind, title, config, status, revealed, position FROM {ACTIVITY}"  # noqa: S608
)


_SESSION_OF_WORKSHOP = (
    f"SELECT s.id, s.status, s.seq, w.status, p.id, p.display_name, p.removed_at"  # noqa: S608
    f" FROM {SESSION} s JOIN {Workshop._meta.db_table} w ON w.id = s.workshop_id"
    f" LEFT JOIN {PARTICIPANT} p ON p.session_id = s.id AND {{participants}}"
    f" WHERE s.workshop_id = %s"
)


def session_with_participants(workshop_id, participant_ids):
    """The workshop's live session as (id, status, seq, workshop status) and those of
    `participant_ids` that take part in it, {id: (display name, removed_at)}, in one
    statement; (None, {}) if the workshop has no live session."""
    ids = list(participant_ids)
    among = f"p.id IN ({', '.join(['%s'] * len(ids))})" if ids else "1 = 0"
    with connection.cursor() as cursor:
        cursor.execute(_SESSION_OF_WORKSHOP.format(participants=among), [*ids, workshop_id])
        rows = cursor.fetchall()
    if not rows:
        return None, {}
    participants = {row[4]: (row[5], row[6]) for row in rows if row[4] is not None}
    return rows[0][:4], participants


def lock_participant(participant_id):
    """(removed_at, session id, session status, workshop status) of the participant, its
    row locked for the rest of the transaction; None if there is no such participant."""
    lock = " FOR UPDATE OF p" if _postgres() else ""
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_PARTICIPANT + lock, [participant_id])
        return cursor.fetchone()


def activity_in_session(activity_id, session_id) -> Activity | None:
    """The activity, if it belongs to the session, with a key-share lock on PostgreSQL:
    participants' actions do not wait for each other, but closing the activity (a row
    lock) waits for those under way, and they for it."""
    lock = " FOR KEY SHARE" if _postgres() else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"{_ACTIVITY} WHERE id = %s AND session_id = %s{lock}", [activity_id, session_id]
        )
        return _activity(cursor.fetchone())


def participant_and_activity(participant_id, activity_id):
    """lock_participant(participant_id) and the activity in the participant's session
    (activity_in_session), locked in that order; (None, None) if there is no such
    participant. On PostgreSQL both statements go in one round trip (the driver binds the
    parameters on the client, so several statements may share one query)."""
    if not _postgres():
        row = lock_participant(participant_id)
        if row is None:
            return None, None
        return row, activity_in_session(activity_id, row[1])
    with connection.cursor() as cursor:
        cursor.execute(
            f"{_LOCK_PARTICIPANT} FOR UPDATE OF p;"  # noqa: S608
            f" {_ACTIVITY} WHERE id = %s"
            f" AND session_id = (SELECT session_id FROM {PARTICIPANT} WHERE id = %s)"
            f" FOR KEY SHARE",
            [participant_id, activity_id, participant_id],
        )
        row = cursor.fetchone()
        cursor.nextset()
        activity = _activity(cursor.fetchone())
    return (None, None) if row is None else (row, activity)


def _activity(row) -> Activity | None:
    if row is None:
        return None
    pk, session, kind, title, config, status, revealed, position = row
    if isinstance(config, str):
        config = json.loads(config)
    return Activity(
        pk=pk,
        session_id=session,
        kind=kind,
        title=title,
        config=config,
        status=status,
        revealed=revealed,
        position=position,
    )


def replace_dots(activity_id, participant_id, allocation: dict):
    """The participant's dots replaced by `allocation`: on PostgreSQL deleting and inserting
    go in one round trip."""
    delete = f"DELETE FROM {DOTS} WHERE activity_id = %s AND participant_id = %s"  # noqa: S608
    params = [activity_id, participant_id]
    insert = None
    if allocation:
        rows = ", ".join(["(%s, %s, %s, %s)"] * len(allocation))
        insert = f"INSERT INTO {DOTS} (activity_id, participant_id, option, count) VALUES {rows}"  # noqa: S608
        for option, count in allocation.items():
            params += [activity_id, participant_id, option, count]
    with connection.cursor() as cursor:
        if insert is None:
            cursor.execute(delete, params)
        elif _postgres():
            cursor.execute(f"{delete}; {insert}", params)
        else:
            cursor.execute(delete, params[:2])
            cursor.execute(insert, params[2:])


def log_changes(session_id, changes) -> int:
    """Raise the session's seq by len(changes) and append the changes (kind, activity id,
    object id) to its log under the new numbers. Returns the new seq. On PostgreSQL one
    statement: the session row is locked from here to the commit, so this comes last."""
    count = len(changes)
    with connection.cursor() as cursor:
        if _postgres():
            rows = ", ".join(["(%s, %s, %s::bigint, %s::bigint)"] * count)
            values = []
            for number, (kind, activity_id, object_id) in enumerate(changes):
                values += [number, kind, activity_id, object_id]
            cursor.execute(
                f"WITH bumped AS (UPDATE {SESSION} SET seq = seq + %s WHERE id = %s"  # noqa: S608
                f" RETURNING seq)"
                f" INSERT INTO {EVENT} (session_id, seq, kind, activity_id, object_id)"
                f" SELECT %s, bumped.seq - %s + 1 + v.n, v.kind, v.activity_id, v.object_id"
                f" FROM bumped, (VALUES {rows}) AS v(n, kind, activity_id, object_id)"
                f" RETURNING seq",
                [count, session_id, session_id, count, *values],
            )
            return max(row[0] for row in cursor.fetchall())
        cursor.execute(
            f"UPDATE {SESSION} SET seq = seq + %s WHERE id = %s RETURNING seq",  # noqa: S608
            [count, session_id],
        )
        seq = cursor.fetchone()[0]
        cursor.executemany(
            f"INSERT INTO {EVENT} (session_id, seq, kind, activity_id, object_id)"  # noqa: S608
            f" VALUES (%s, %s, %s, %s, %s)",
            [
                [session_id, seq - count + 1 + number, kind, activity_id, object_id]
                for number, (kind, activity_id, object_id) in enumerate(changes)
            ],
        )
        return seq


def log_changes_now(session_id, changes) -> int:
    """log_changes outside any transaction: one statement on PostgreSQL, which holds the
    session row only while the statement runs."""
    if _postgres():
        return log_changes(session_id, changes)
    with transaction.atomic():
        return log_changes(session_id, changes)
