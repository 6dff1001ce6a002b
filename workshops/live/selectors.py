"""What a live session looks like to each audience: snapshots, results and the update
frames built from the event log (docs/live-protocol.md, section 3).

Two views: MOD (the moderator: everything) and PUB (participants and the projector: no
drafts, no hidden entries, results only once revealed). Personal data (`mine`) exists only
in a participant's snapshot and acks."""

import json
import time
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Min, Sum
from django.db.models.functions import Lower

from .models import (
    Activity,
    ActivityKind,
    Card,
    Cluster,
    DotVote,
    LiveEvent,
    LiveParticipant,
    LiveSession,
    MoodEntry,
    PollAnswer,
    Question,
    QuestionVote,
)
from .roles import MODERATOR

MOD, PUB = "mod", "pub"
Kind = LiveEvent.Kind
# Log rows this far behind the last broadcast are deleted (a slow, overlapping broadcast
# may still read a little behind it).
KEEP_EVENTS = 1000


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# --- objects ---------------------------------------------------------------------------------


def session_state(live_session, *, participants=None) -> dict:
    if participants is None:
        participants = live_session.participants.filter(removed_at__isnull=True).count()
    workshop = live_session.workshop
    return {
        "id": live_session.pk,
        "workshop": {"id": workshop.pk, "title": workshop.title},
        "status": live_session.status,
        "join_code": live_session.join_code,
        "allow_anonymous": live_session.allow_anonymous,
        "participants": participants,
    }


def card_state(card) -> dict:
    return {
        "id": card.pk,
        "text": card.text,
        "category": card.category,
        "cluster": card.cluster_id,
        "hidden": card.hidden,
    }


def cluster_state(cluster) -> dict:
    return {"id": cluster.pk, "title": cluster.title, "position": cluster.position}


def question_state(question) -> dict:
    return {
        "id": question.pk,
        "text": question.text,
        "author": None if question.anonymous else question.participant.display_name,
        "answered": question.answered,
        "pinned": question.pinned,
        "hidden": question.hidden,
    }


def participant_state(participant) -> dict:
    return {
        "id": participant.pk,
        "display_name": participant.display_name,
        "removed": participant.removed_at is not None,
    }


def options(activity) -> list[dict]:
    if "source" in activity.config:
        clusters = Cluster.objects.filter(activity_id=activity.config["source"])
        return [{"key": str(c.pk), "label": c.title} for c in clusters]
    return activity.config.get("options", [])


def visible_to_public(activity) -> bool:
    return activity.status != Activity.Status.DRAFT


def shows_entries(activity, view) -> bool:
    """Whether cards, clusters, questions and results of the activity reach this view."""
    return view == MOD or (visible_to_public(activity) and activity.revealed)


# --- results ---------------------------------------------------------------------------------


def results(activity) -> dict | None:
    """The activity's aggregated results (the same for every audience allowed to see them)."""
    kind = activity.kind
    if kind == ActivityKind.DOTS:
        votes = DotVote.objects.filter(activity=activity)
        tally = dict(votes.values_list("option").annotate(total=Sum("count")).order_by())
        return {
            "tally": tally,
            "voters": votes.values("participant").distinct().count(),
        }
    if kind == ActivityKind.POLL:
        answers = PollAnswer.objects.filter(activity=activity)
        counts = dict(answers.values_list("option").annotate(n=Count("pk")).order_by())
        return {"counts": counts, "respondents": answers.values("participant").distinct().count()}
    if kind == ActivityKind.QUESTIONS:
        votes = (
            QuestionVote.objects.filter(question__activity=activity, question__hidden=False)
            .values_list("question")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {"votes": {str(pk): n for pk, n in votes}}
    if kind == ActivityKind.MOOD:
        entries = MoodEntry.objects.filter(activity=activity)
        if activity.config.get("mode") == "word":
            words = (
                entries.exclude(word="")
                .annotate(key=Lower("word"))
                .values("key")
                .annotate(word=Min("word"), count=Count("pk"))
                .order_by("-count", "key")
            )
            rows = [{"word": row["word"], "count": row["count"]} for row in words]
            return {"words": rows, "count": sum(row["count"] for row in rows)}
        counted = dict(
            entries.filter(value__isnull=False)
            .values_list("value")
            .annotate(n=Count("pk"))
            .order_by()
        )
        distribution = {str(value): counted.get(value, 0) for value in range(1, 6)}
        return {"distribution": distribution, "count": sum(distribution.values())}
    return None


def mine(activity, participant_id) -> dict:
    kind = activity.kind
    if kind == ActivityKind.CARDS:
        cards = Card.objects.filter(activity=activity, participant_id=participant_id)
        return {"cards": [card_state(card) for card in cards]}
    if kind == ActivityKind.DOTS:
        allocation = DotVote.objects.filter(activity=activity, participant_id=participant_id)
        return {"allocation": dict(allocation.values_list("option", "count"))}
    if kind == ActivityKind.POLL:
        chosen = PollAnswer.objects.filter(activity=activity, participant_id=participant_id)
        return {"options": sorted(chosen.values_list("option", flat=True))}
    if kind == ActivityKind.QUESTIONS:
        asked = Question.objects.filter(
            activity=activity, participant_id=participant_id
        ).select_related("participant")
        upvoted = QuestionVote.objects.filter(
            question__activity=activity, participant_id=participant_id
        ).values_list("question_id", flat=True)
        return {"asked": [question_state(q) for q in asked], "upvoted": sorted(upvoted)}
    if kind == ActivityKind.MOOD:
        entry = MoodEntry.objects.filter(activity=activity, participant_id=participant_id).first()
        if entry is None:
            return {}
        return {"value": entry.word if entry.value is None else entry.value}
    return {}


# --- activities ------------------------------------------------------------------------------


def items(activity, view) -> dict:
    kind = activity.kind
    if kind in (ActivityKind.DOTS, ActivityKind.POLL):
        return {"options": options(activity)}
    if kind == ActivityKind.CARDS:
        if not shows_entries(activity, view):
            return {"cards": [], "clusters": []}
        cards = Card.objects.filter(activity=activity)
        if view != MOD:
            cards = cards.filter(hidden=False)
        return {
            "cards": [card_state(card) for card in cards],
            "clusters": [cluster_state(c) for c in Cluster.objects.filter(activity=activity)],
        }
    if kind == ActivityKind.QUESTIONS:
        if not shows_entries(activity, view):
            return {"questions": []}
        questions = Question.objects.filter(activity=activity).select_related("participant")
        if view != MOD:
            questions = questions.filter(hidden=False)
        return {"questions": [question_state(q) for q in questions]}
    return {}


def activity_state(activity, view, *, with_results=None) -> dict:
    shown = shows_entries(activity, view)
    if with_results is None and shown:
        with_results = results(activity)
    return {
        "id": activity.pk,
        "kind": activity.kind,
        "title": activity.title,
        "status": activity.status,
        "position": activity.position,
        "revealed": activity.revealed,
        "config": activity.config,
        "results": with_results if shown else None,
        "items": items(activity, view),
    }


# (session id, view) -> (seq, read at, session state, activity states, activities): when a
# room full of people connects at once, the shared part of their snapshots is read once.
_shared = {}
SHARED_FOR = 2.0  # seconds; only ever reused at an unchanged seq


def current_seq(live_session_id) -> int:
    table = connection.ops.quote_name(LiveSession._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq FROM {table} WHERE id = %s", [live_session_id])  # noqa: S608
        return cursor.fetchone()[0]


def _shared_state(live_session_id, view, seq=None):
    if seq is None:
        seq = current_seq(live_session_id)
    now = time.monotonic()
    cached = _shared.get((live_session_id, view))
    if cached is not None and cached[0] == seq and now - cached[1] < SHARED_FOR:
        return cached
    live_session = LiveSession.objects.select_related("workshop").get(pk=live_session_id)
    activities = list(live_session.activities.all())
    if view == PUB:
        activities = [a for a in activities if visible_to_public(a)]
    states = [activity_state(activity, view) for activity in activities]
    entry = (seq, now, session_state(live_session), states, activities)
    if len(_shared) > 1000:
        _shared.clear()
    _shared[(live_session_id, view)] = entry
    return entry


def snapshot(live_session_id, *, role, me=None, seq=None) -> dict:
    """The whole state for one socket; `me` ({"participant", "display_name"}) for a
    participant. The seq is read first (or given: read by the caller, after the socket
    joined its group): whatever changes while the rest is read arrives again in the next
    update, which is harmless."""
    participant_id = me["participant"] if me else None
    view = MOD if role == MODERATOR else PUB
    if view == MOD:  # moderators are few and see everything: always fresh
        _shared.pop((live_session_id, view), None)
    seq, _at, session, states, activities = _shared_state(live_session_id, view, seq)
    if participant_id is not None:
        states = [
            {**state, "mine": mine(activity, participant_id)}
            for state, activity in zip(states, activities, strict=True)
        ]
    data = {
        "type": "snapshot",
        "seq": seq,
        "role": role,
        "session": session,
        "me": me,
        "activities": states,
    }
    if view == MOD:
        participants = LiveParticipant.objects.filter(session_id=live_session_id)
        data["participants"] = [participant_state(p) for p in participants]
    return data


# --- updates ---------------------------------------------------------------------------------


def build_update(live_session_id, *, count_audience=True) -> tuple[int, str, str, int] | None:
    """The update frames for everything logged since the last broadcast: one text for the
    moderator and one for everyone else, each serialised once; and the number of
    participants, who may all be watching (None unless `count_audience`). Marks the range
    broadcast. None if there is nothing new."""
    row = LiveSession.objects.filter(pk=live_session_id).values_list("seq", "flushed_seq").first()
    if row is None or row[0] <= row[1]:
        return None
    to_seq, from_seq = row
    # kind -> {object id: activity id}; results are keyed by the activity.
    touched = defaultdict(dict)
    for kind, activity_id, object_id in LiveEvent.objects.filter(
        session_id=live_session_id, seq__gt=from_seq, seq__lte=to_seq
    ).values_list("kind", "activity_id", "object_id"):
        touched[kind][activity_id if kind == Kind.RESULTS else object_id] = activity_id

    named = {pk for changes in touched.values() for pk in changes.values() if pk is not None}
    activities = {a.pk: a for a in Activity.objects.filter(pk__in=named)}
    mod_events, pub_events = [], []
    mod_results, pub_results = {}, {}

    if touched[Kind.SESSION] or touched[Kind.PARTICIPANT]:
        live_session = LiveSession.objects.select_related("workshop").get(pk=live_session_id)
        event = {"event": "session", "session": session_state(live_session)}
        mod_events.append(event)
        pub_events.append(event)

    redrawn = touched[Kind.ACTIVITY]
    for pk in sorted(redrawn):
        activity = activities.get(pk)
        if activity is None:
            removed = {"event": "activity.removed", "activity": pk}
            mod_events.append(removed)
            pub_events.append(removed)
            continue
        computed = results(activity)
        mod_events.append(
            {"event": "activity", "activity": activity_state(activity, MOD, with_results=computed)}
        )
        if visible_to_public(activity):
            state = activity_state(activity, PUB, with_results=computed)
            pub_events.append({"event": "activity", "activity": state})
        else:
            pub_events.append({"event": "activity.removed", "activity": pk})

    def entries(kind, model, render, name, *, related=()):
        ids = touched[kind]
        if not ids:
            return
        found = {obj.pk: obj for obj in model.objects.filter(pk__in=ids).select_related(*related)}
        for pk, activity_id in sorted(ids.items()):
            if activity_id in redrawn or activity_id not in activities:
                continue  # sent whole above, or gone with its activity
            activity, obj = activities[activity_id], found.get(pk)
            public = shows_entries(activity, PUB)
            if obj is None or getattr(obj, "hidden", False):
                removed = {"event": f"{name}.removed", "activity": activity_id, name: pk}
                if obj is None:
                    mod_events.append(removed)
                else:
                    mod_events.append({"event": name, "activity": activity_id, name: render(obj)})
                if public:
                    pub_events.append(removed)
                continue
            state = render(obj)
            mod_events.append({"event": name, "activity": activity_id, name: state})
            if public:
                pub_events.append({"event": name, "activity": activity_id, name: state})

    entries(Kind.CLUSTER, Cluster, cluster_state, "cluster")
    entries(Kind.CARD, Card, card_state, "card")
    entries(Kind.QUESTION, Question, question_state, "question", related=("participant",))

    for participant in LiveParticipant.objects.filter(pk__in=list(touched[Kind.PARTICIPANT])):
        mod_events.append({"event": "participant", "participant": participant_state(participant)})

    for pk in sorted(set(touched[Kind.RESULTS]) - set(redrawn)):
        activity = activities.get(pk)
        if activity is None:
            continue
        computed = results(activity)
        mod_results[str(pk)] = computed
        if shows_entries(activity, PUB):
            pub_results[str(pk)] = computed

    LiveSession.objects.filter(pk=live_session_id, flushed_seq__lt=to_seq).update(
        flushed_seq=to_seq
    )
    if to_seq // KEEP_EVENTS != from_seq // KEEP_EVENTS:
        LiveEvent.objects.filter(
            session_id=live_session_id, seq__lte=from_seq - KEEP_EVENTS
        ).delete()

    def frame(events, results_):
        return dumps(
            {
                "type": "update",
                "from": from_seq,
                "seq": to_seq,
                "events": events,
                "results": results_,
            }
        )

    audience = None
    if count_audience:
        audience = LiveParticipant.objects.filter(
            session_id=live_session_id, removed_at__isnull=True
        ).count()
    return to_seq, frame(mod_events, mod_results), frame(pub_events, pub_results), audience
