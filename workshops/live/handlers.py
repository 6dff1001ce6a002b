"""The synchronous side of the consumer, run in worker threads (participation.db_threads):
who the socket is (on connect, and again with every action), and one handler per message
type that loads the objects named *within the socket's session* and calls one service. Like
a view: check access, validate, call a service."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist

from participation.middleware import coordinator_needs_totp
from participation.selectors import is_coordinator
from workshops.models import Workshop

from . import selectors, services
from .errors import NO_ACCESS, NOT_FOUND, AccessDenied, LiveError
from .models import Activity, Card, Cluster, LiveParticipant, LiveSession, Question
from .roles import MODERATOR, PARTICIPANT, PROJECTOR
from .selectors import mine


@dataclass
class Access:
    role: str
    workshop_id: int
    session_id: int
    participant_id: int | None = None
    user: object = None
    display_name: str = ""

    @property
    def group_audience(self):
        return "mod" if self.role == MODERATOR else "pub"


def audience_for(user, *, projector=False) -> str:
    """The group audience a socket will have if access is granted (see Access): "mod" for a
    coordinator's moderator socket, "pub" for everyone else. From the scope's user alone."""
    user = getattr(user, "_wrapped", user)
    return "mod" if is_coordinator(user) and not projector else "pub"


def connect(workshop_id, *, user, session_store, projector=False, joined=None):
    """Who may use this socket, from its scope only, and its snapshot if the socket has
    already joined its group: `joined` is the (session id, audience) of the group it joined
    (None if none); the snapshot is None when that is not the access's group. Raises
    AccessDenied(close code)."""
    access, seq = _access(workshop_id, user=user, session_store=session_store, projector=projector)
    if joined != (access.session_id, access.group_audience):
        return access, None
    # The session row was read after the socket joined its group: its seq will do.
    return access, snapshot(access, seq=seq)


def _access(workshop_id, *, user, session_store, projector) -> tuple[Access, int]:
    """Who may use this socket, from its scope only, and the live session's seq as read.
    Raises AccessDenied(close code)."""
    user = getattr(user, "_wrapped", user)  # the scope's lazy user, resolved by now
    if not services.may_hold_invitation(user, session_store):
        # Most of a room: people who joined with the code, all connecting at once.
        session_id, seq, participant = services.join_code_participant(workshop_id, session_store)
        return _participant_access(workshop_id, session_id, participant), seq
    live_session = (
        LiveSession.objects.select_related("workshop").filter(workshop_id=workshop_id).first()
    )
    if is_coordinator(user):
        if not _moderator_allowed(user):
            raise AccessDenied(NO_ACCESS)
        if live_session is None:
            workshop = Workshop.objects.filter(pk=workshop_id).first()
            if workshop is None:
                raise AccessDenied(NOT_FOUND)
            live_session = services.ensure_live_session(workshop, actor=user)
        role = PROJECTOR if projector else MODERATOR
        return Access(role, workshop_id, live_session.pk, user=user), live_session.seq
    if live_session is None:
        raise AccessDenied(NOT_FOUND)
    participant = None
    if live_session.is_open:
        participant = services.participant_from_session(
            live_session, user=user, session_store=session_store
        )
    services.check_participant_access(live_session, participant)
    return _participant_access(workshop_id, live_session.pk, participant), live_session.seq


def _participant_access(workshop_id, session_id, participant) -> Access:
    return Access(
        PARTICIPANT,
        workshop_id,
        session_id,
        participant_id=participant.pk,
        display_name=participant.display_name,
    )


def _moderator_allowed(user) -> bool:
    """The rule for moderator and projector sockets, at connect and at every recheck."""
    return is_coordinator(user) and not coordinator_needs_totp(user)


def recheck(access: Access) -> int:
    """Access again (at a ping): raises AccessDenied if it ended. Returns the current seq."""
    live_session = LiveSession.objects.select_related("workshop").get(pk=access.session_id)
    if access.role != PARTICIPANT:
        user = get_user_model().objects.filter(pk=access.user.pk).first()
        if user is None or not _moderator_allowed(user):
            raise AccessDenied(NO_ACCESS)
    else:
        participant = LiveParticipant.objects.filter(pk=access.participant_id).first()
        services.check_participant_access(live_session, participant)
    return live_session.seq


def current_seq(access: Access) -> int:
    return selectors.current_seq(access.session_id)


def snapshot(access: Access, seq=None) -> str:
    me = None
    if access.participant_id is not None:
        me = {"participant": access.participant_id, "display_name": access.display_name}
    data = selectors.snapshot(access.session_id, role=access.role, me=me, seq=seq)
    return selectors.dumps(data)


# --- lookups within the session ---------------------------------------------------------------


def _activity(access, pk) -> Activity:
    activities = Activity.objects.select_related("session").filter(session_id=access.session_id)
    if access.role != MODERATOR:
        activities = activities.exclude(status=Activity.Status.DRAFT)
    activity = activities.filter(pk=pk).first()
    if activity is None:
        raise LiveError("not_found", field="activity")
    return activity


def _in_session(model, access, pk, field):
    found = (
        model.objects.select_related("activity__session")
        .filter(pk=pk, activity__session_id=access.session_id)
        .first()
    )
    if found is None:
        raise LiveError("not_found", field=field)
    return found


def _sender(access) -> LiveParticipant:
    """The sender, by pk only: the service re-reads and locks the row and checks access
    again (a removed participant or an ended session closes the socket at once)."""
    return LiveParticipant(pk=access.participant_id, session_id=access.session_id)


def _target(access, pk) -> Activity:
    """The activity a participant acts in, by pk only: the service re-reads it within the
    sender's session and checks that it is open."""
    return Activity(pk=pk, session_id=access.session_id)


def _live_session(access) -> LiveSession:
    return LiveSession.objects.select_related("workshop").get(pk=access.session_id)


def _mine(activity_id, mine):
    return {"activity": activity_id, "mine": mine}


# --- participants ------------------------------------------------------------------------------


def card_add(access, *, activity, text, category=""):
    card = services.add_card(
        _target(access, activity), participant=_sender(access), text=text, category=category
    )
    return {"id": card.pk, **_mine(activity, mine(card.activity, access.participant_id))}


def dots_set(access, *, activity, allocation):
    stored = services.set_dots(
        _target(access, activity), participant=_sender(access), allocation=allocation
    )
    return _mine(activity, {"allocation": stored})


def poll_answer(access, *, activity, options):
    chosen = services.answer_poll(
        _target(access, activity), participant=_sender(access), options=options
    )
    return _mine(activity, {"options": sorted(chosen)})


def question_ask(access, *, activity, text, anonymous=False):
    question = services.ask_question(
        _target(access, activity), participant=_sender(access), text=text, anonymous=anonymous
    )
    return {"id": question.pk, **_mine(activity, mine(question.activity, access.participant_id))}


def question_upvote(access, *, question):
    question = _in_session(Question, access, question, "question")
    services.upvote_question(question, participant=_sender(access))
    return _mine(question.activity_id, mine(question.activity, access.participant_id))


def mood_set(access, *, activity, value):
    entry = services.set_mood(_target(access, activity), participant=_sender(access), value=value)
    return _mine(activity, {"value": entry.word if entry.value is None else entry.value})


# --- moderators --------------------------------------------------------------------------------


def activity_create(access, *, kind, title, config=None):
    activity = services.create_activity(
        _live_session(access), actor=access.user, kind=kind, title=title, config=config
    )
    return {"id": activity.pk}


def activity_update(access, *, activity, title=None, config=None):
    services.update_activity(
        _activity(access, activity), actor=access.user, title=title, config=config
    )
    return {}


def activity_open(access, *, activity):
    services.open_activity(_activity(access, activity), actor=access.user)
    return {}


def activity_close(access, *, activity):
    services.close_activity(_activity(access, activity), actor=access.user)
    return {}


def activity_reveal(access, *, activity, revealed):
    services.reveal_activity(_activity(access, activity), actor=access.user, revealed=revealed)
    return {}


def activity_move(access, *, activity, position):
    services.move_activity(_activity(access, activity), actor=access.user, position=position)
    return {}


def activity_delete(access, *, activity):
    services.delete_activity(_activity(access, activity), actor=access.user)
    return {}


def cluster_create(access, *, activity, title, cards=()):
    cluster = services.create_cluster(
        _activity(access, activity), actor=access.user, title=title, card_ids=cards
    )
    return {"id": cluster.pk}


def cluster_rename(access, *, cluster, title):
    services.rename_cluster(
        _in_session(Cluster, access, cluster, "cluster"), actor=access.user, title=title
    )
    return {}


def cluster_delete(access, *, cluster):
    services.delete_cluster(_in_session(Cluster, access, cluster, "cluster"), actor=access.user)
    return {}


def card_move(access, *, card, cluster):
    card = _in_session(Card, access, card, "card")
    target = None if cluster is None else _in_session(Cluster, access, cluster, "cluster")
    services.move_card(card, actor=access.user, cluster=target)
    return {}


def card_hide(access, *, card, hidden):
    services.hide_card(_in_session(Card, access, card, "card"), actor=access.user, hidden=hidden)
    return {}


def question_mark(access, *, question, answered=None, pinned=None, hidden=None):
    services.mark_question(
        _in_session(Question, access, question, "question"),
        actor=access.user,
        answered=answered,
        pinned=pinned,
        hidden=hidden,
    )
    return {}


def session_update(access, *, allow_anonymous):
    services.update_live_session(
        _live_session(access), actor=access.user, allow_anonymous=allow_anonymous
    )
    return {}


def session_end(access):
    services.end_live_session(_live_session(access), actor=access.user)
    return {}


def session_reopen(access):
    services.reopen_live_session(_live_session(access), actor=access.user)
    return {}


def participant_remove(access, *, participant):
    found = LiveParticipant.objects.filter(pk=participant, session_id=access.session_id).first()
    if found is None:
        raise LiveError("not_found", field="participant")
    services.remove_participant(found, actor=access.user)
    return {}


HANDLERS = {
    "card.add": card_add,
    "dots.set": dots_set,
    "poll.answer": poll_answer,
    "question.ask": question_ask,
    "question.upvote": question_upvote,
    "mood.set": mood_set,
    "activity.create": activity_create,
    "activity.update": activity_update,
    "activity.open": activity_open,
    "activity.close": activity_close,
    "activity.reveal": activity_reveal,
    "activity.move": activity_move,
    "activity.delete": activity_delete,
    "cluster.create": cluster_create,
    "cluster.rename": cluster_rename,
    "cluster.delete": cluster_delete,
    "card.move": card_move,
    "card.hide": card_hide,
    "question.mark": question_mark,
    "session.update": session_update,
    "session.end": session_end,
    "session.reopen": session_reopen,
    "participant.remove": participant_remove,
}


def act(access: Access, kind: str, fields: dict) -> dict:
    """Run one validated message. Raises LiveError or AccessDenied."""
    try:
        return HANDLERS[kind](access, **fields)
    except ObjectDoesNotExist:
        raise LiveError("not_found") from None
