"""Every change to a live session. Each one validates, writes, raises the session's `seq`
and appends to its event log in one transaction, then, after commit, tells
`workshops.live.realtime` (which coalesces the broadcasts). Refusals raise LiveError with the
protocol's error code.

Lock order, the same everywhere so that transactions never wait on each other in a circle:
the participant's row, then the activity's (shared by participants' actions, exclusive for
the moderator's), the session row (raised `seq`) last and as late as possible."""

import re
import unicodedata

from auditlog.context import set_actor
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.events.links import SESSION_KEY as INVITATIONS_KEY
from participation.models import EventStatus, Invitation
from participation.personal_links import held_in_session

from . import realtime, sql
from .config import clean_config, revealed_by_default
from .errors import ENDED, NO_ACCESS, NOT_FOUND, REMOVED, AccessDenied, LiveError
from .models import (
    Activity,
    ActivityKind,
    Card,
    Cluster,
    LiveEvent,
    LiveParticipant,
    LiveSession,
    MoodEntry,
    PollAnswer,
    Question,
    QuestionVote,
    new_join_code,
)

SESSION_PARTICIPANTS_KEY = "live_participants"
MAX_CARDS_PER_PARTICIPANT = 50
MAX_QUESTIONS_PER_PARTICIPANT = 20
MAX_QUESTION_LENGTH = 280
MAX_TITLE_LENGTH = 200
MAX_CLUSTER_TITLE_LENGTH = 120
MAX_DISPLAY_NAME_LENGTH = 60
WORD_PATTERN = re.compile(r"^[\w-]{1,30}$")
Kind = LiveEvent.Kind


# --- the log ---------------------------------------------------------------------------------


def _log(session_id, *changes) -> int:
    """Raise the session's seq by one per change and log each (kind, activity id, object id).
    Must run inside the writing transaction, after its writes: raising the seq holds the
    session row until commit, so committed seqs have no holes. Returns the new seq."""
    seq = sql.log_changes(session_id, changes)
    transaction.on_commit(lambda: realtime.changed(session_id))
    return seq


def _announce(session_id, *changes) -> int:
    """Log participants' changes right after their transaction has committed, in a
    statement of its own (sql.log_changes_now). Raising the seq takes the session row, which
    every vote of the session needs: inside the vote's transaction it would be held across
    a Python round trip to the commit, and in a busy server process (the event loop holding
    the interpreter) votes queued behind one another there. The change is committed before
    it is logged; were the process to die in between, the change would reach the others
    with the next one, or with their next snapshot, and its sender would get no ack."""
    if transaction.get_connection().in_atomic_block:  # called within a caller's transaction
        return _log(session_id, *changes)
    seq = sql.log_changes_now(session_id, changes)
    realtime.changed(session_id)
    return seq


# --- sessions and participants ------------------------------------------------------------------


def _free_join_code():
    for _attempt in range(20):
        code = new_join_code()
        if not LiveSession.objects.filter(join_code=code, status=LiveSession.Status.OPEN).exists():
            return code
    raise RuntimeError("no free join code")  # 23^6 codes: only if the table is absurdly full


def ensure_live_session(workshop, *, actor) -> LiveSession:
    """The workshop's live session, created (open, with a fresh join code) on first use.
    An ended session stays ended; see reopen_live_session."""
    existing = LiveSession.objects.filter(workshop=workshop).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic(), set_actor(actor):
            return LiveSession.objects.create(workshop=workshop, join_code=_free_join_code())
    except IntegrityError:
        # Two moderators' first connects raced (or the code clashed): take what is there.
        existing = LiveSession.objects.filter(workshop=workshop).first()
        if existing is None:
            raise
        return existing


def update_live_session(live_session, *, actor, allow_anonymous: bool) -> LiveSession:
    with transaction.atomic(), set_actor(actor):
        live_session = LiveSession.objects.select_for_update().get(pk=live_session.pk)
        live_session.allow_anonymous = allow_anonymous
        live_session.save(update_fields=["allow_anonymous"])
        _log(live_session.pk, (Kind.SESSION, None, None))
    return live_session


def end_live_session(live_session, *, actor) -> LiveSession:
    """Close the session: participants' sockets are closed (4410), nothing more is entered.
    The results stay for the documentation."""
    with transaction.atomic(), set_actor(actor):
        live_session = LiveSession.objects.select_for_update().get(pk=live_session.pk)
        if live_session.status == LiveSession.Status.CLOSED:
            return live_session
        now = timezone.now()
        closed = []
        for activity in live_session.activities.filter(status=Activity.Status.OPEN):
            activity.status, activity.closed_at = Activity.Status.CLOSED, now
            activity.save(update_fields=["status", "closed_at"])
            closed.append((Kind.ACTIVITY, activity.pk, activity.pk))
        live_session.status, live_session.closed_at = LiveSession.Status.CLOSED, now
        live_session.save(update_fields=["status", "closed_at"])
        _log(live_session.pk, (Kind.SESSION, None, None), *closed)
        session_id = live_session.pk
        transaction.on_commit(lambda: realtime.revoke(session_id, participant_id=None))
    return live_session


def end_for_workshop(workshop, *, actor) -> None:
    """For the workshop's own services: a workshop marked done or cancelled ends its live
    session, if there is one, and closes every socket of it (4410), the moderators' too:
    there is nothing left to moderate."""
    live_session = LiveSession.objects.filter(workshop=workshop).first()
    if live_session is not None:
        end_live_session(live_session, actor=actor)
        session_id = live_session.pk
        transaction.on_commit(lambda: realtime.close_all(session_id))


def reopen_live_session(live_session, *, actor) -> LiveSession:
    with transaction.atomic(), set_actor(actor):
        live_session = LiveSession.objects.select_for_update().get(pk=live_session.pk)
        if live_session.status == LiveSession.Status.OPEN:
            return live_session
        if live_session.workshop.status in (EventStatus.DONE, EventStatus.CANCELLED):
            raise LiveError("conflict", _("The workshop is over."))
        if (
            LiveSession.objects.filter(join_code=live_session.join_code, status="open")
            .exclude(pk=live_session.pk)
            .exists()
        ):
            live_session.join_code = _free_join_code()
        live_session.status, live_session.closed_at = LiveSession.Status.OPEN, None
        live_session.save(update_fields=["status", "closed_at", "join_code"])
        _log(live_session.pk, (Kind.SESSION, None, None))
    return live_session


def _invitee_name(invitation):
    if invitation.name:
        return invitation.name
    if invitation.person_id:
        return invitation.person.full_name
    return invitation.email.split("@")[0]


def ensure_participant(live_session, *, invitation, user=None) -> LiveParticipant:
    """The participant of an invitee: one per invitation (whether they come signed in or
    through their link), created on first connect."""
    match = Q(invitation=invitation)
    if user is not None and user.is_authenticated:
        match |= Q(user=user)
    found = live_session.participants.filter(match).order_by("pk").first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            participant = LiveParticipant.objects.create(
                session=live_session,
                invitation=invitation,
                user=user if user is not None and user.is_authenticated else None,
                display_name=_invitee_name(invitation)[:MAX_DISPLAY_NAME_LENGTH],
            )
            _log(live_session.pk, (Kind.PARTICIPANT, None, participant.pk))
    except IntegrityError:
        return live_session.participants.filter(match).order_by("pk").first()
    return participant


def clean_display_name(raw) -> str:
    name = " ".join(unicodedata.normalize("NFC", str(raw or "")).split())
    if not name or len(name) > MAX_DISPLAY_NAME_LENGTH:
        raise LiveError(
            "invalid",
            _("Enter a display name of at most %(max)s characters.")
            % {"max": MAX_DISPLAY_NAME_LENGTH},
            field="display_name",
        )
    return name


def _invitation_for(workshop, *, user, session_store):
    """An invitation to the workshop held by the visitor: as its signed-in person, or
    through a personal link opened in this browser session."""
    if not workshop.links_usable():
        return None
    # By name, not through ContentType's cache: a long-running server process must not
    # keep a stale content type id.
    meta = type(workshop)._meta
    invitations = Invitation.objects.filter(
        event_type__app_label=meta.app_label,
        event_type__model=meta.model_name,
        event_id=workshop.pk,
    ).select_related("person")
    if user is not None and user.is_authenticated:
        found = invitations.filter(person__user=user).first()
        if found is not None:
            return found
    held = held_in_session(session_store, INVITATIONS_KEY)
    if held:
        return invitations.filter(pk__in=held).order_by("-pk").first()
    return None


def participant_from_session(live_session, *, user, session_store) -> LiveParticipant | None:
    """Who this visitor is in the session: an invitee (signed in or by link) or the
    join-code participant recorded in their browser session. None if neither."""
    invitation = _invitation_for(live_session.workshop, user=user, session_store=session_store)
    if invitation is not None:
        return ensure_participant(live_session, invitation=invitation, user=user)
    joined = session_store.get(SESSION_PARTICIPANTS_KEY, {})
    participant_id = joined.get(str(live_session.pk)) if isinstance(joined, dict) else None
    if participant_id is None:
        return None
    return live_session.participants.filter(pk=participant_id).first()


def may_hold_invitation(user, session_store) -> bool:
    """Whether participant_from_session might find an invitation for this visitor: they
    are signed in, or their browser session opened a personal link."""
    signed_in = user is not None and user.is_authenticated
    return signed_in or bool(held_in_session(session_store, INVITATIONS_KEY))


def join_code_participant(workshop_id, session_store) -> tuple[int, int, LiveParticipant]:
    """participant_from_session and check_participant_access for a visitor who is not
    signed in and opened no personal link (see may_hold_invitation), so that only the
    join-code participant recorded in their browser session can be theirs: what a room
    full of people connecting at once asks, in one statement. Returns (live session id,
    its seq, the participant); raises AccessDenied(close code) as check_participant_access,
    and AccessDenied(NOT_FOUND) if the workshop has no live session."""
    joined = session_store.get(SESSION_PARTICIPANTS_KEY, {})
    if not isinstance(joined, dict):
        joined = {}
    held = sorted({pk for pk in joined.values() if type(pk) is int})
    live_session, found = sql.session_with_participants(workshop_id, held)
    if live_session is None:
        raise AccessDenied(NOT_FOUND)
    session_id, status, seq, workshop_status = live_session
    _ensure_running(workshop_status, status)
    participant_id = joined.get(str(session_id))
    if type(participant_id) is not int or participant_id not in found:
        raise AccessDenied(NO_ACCESS)
    display_name, removed_at = found[participant_id]
    if removed_at is not None:
        raise AccessDenied(REMOVED)
    participant = LiveParticipant(
        pk=participant_id, session_id=session_id, display_name=display_name
    )
    return session_id, seq, participant


def _ensure_running(workshop_status, session_status) -> None:
    """AccessDenied(ENDED) unless the workshop is still on and its live session open."""
    if workshop_status in (EventStatus.DONE, EventStatus.CANCELLED):
        raise AccessDenied(ENDED)
    if session_status != LiveSession.Status.OPEN:
        raise AccessDenied(ENDED)


def check_participant_access(live_session, participant) -> None:
    """Raise AccessDenied with the close code if the participant may not (or no longer)
    take part."""
    _ensure_running(live_session.workshop.status, live_session.status)
    if participant is None:
        raise AccessDenied(NO_ACCESS)
    if participant.removed_at is not None:
        raise AccessDenied(REMOVED)


def join_with_code(session_store, code, display_name=None, *, user=None) -> LiveParticipant:
    """For the HTTP join view: the visitor typed (or scanned) a join code. An invitee joins
    as themselves; anyone else needs a display name and a session that allows anonymous
    joining. Records the participant in `session_store["live_participants"]` (the contract
    the consumer reads) and returns it. Raises LiveError("not_found") for an unknown code,
    AccessDenied for a removed participant, LiveError("forbidden") when anonymous joining
    is off."""
    code = str(code or "").strip().upper().replace(" ", "")
    live_session = (
        LiveSession.objects.select_related("workshop")
        .filter(join_code=code, status=LiveSession.Status.OPEN)
        .first()
    )
    if live_session is None:
        raise LiveError("not_found", _("No open session has this code."), field="code")
    if live_session.workshop.status in (EventStatus.DONE, EventStatus.CANCELLED):
        raise AccessDenied(ENDED)
    participant = participant_from_session(live_session, user=user, session_store=session_store)
    if participant is None:
        if not live_session.allow_anonymous:
            raise LiveError(
                "forbidden",
                _("This session is open to invitees only: please use your personal link."),
            )
        name = clean_display_name(display_name)
        with transaction.atomic():
            participant = LiveParticipant.objects.create(session=live_session, display_name=name)
            _log(live_session.pk, (Kind.PARTICIPANT, None, participant.pk))
    elif participant.removed_at is not None:
        raise AccessDenied(REMOVED)
    joined = dict(session_store.get(SESSION_PARTICIPANTS_KEY) or {})
    joined[str(live_session.pk)] = participant.pk
    session_store[SESSION_PARTICIPANTS_KEY] = joined
    return participant


def remove_participant(participant, *, actor) -> LiveParticipant:
    """The participant's sockets are closed (4403) and they cannot come back; what they
    entered stays."""
    with transaction.atomic(), set_actor(actor):
        participant = LiveParticipant.objects.select_for_update().get(pk=participant.pk)
        if participant.removed_at is None:
            participant.removed_at = timezone.now()
            participant.save(update_fields=["removed_at"])
            _log(participant.session_id, (Kind.PARTICIPANT, None, participant.pk))
            session_id, participant_id = participant.session_id, participant.pk
            transaction.on_commit(
                lambda: realtime.revoke(session_id, participant_id=participant_id)
            )
    return participant


# --- activities (moderator) ------------------------------------------------------------------


def _locked(activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _clean_title(raw, max_length=MAX_TITLE_LENGTH, field="title"):
    title = " ".join(str(raw or "").split())
    if not title or len(title) > max_length:
        raise LiveError(
            "invalid",
            _("Enter a title of at most %(max)s characters.") % {"max": max_length},
            field=field,
        )
    return title


def create_activity(live_session, *, actor, kind, title, config=None) -> Activity:
    title = _clean_title(title)
    config = clean_config(kind, config, session=live_session)
    with transaction.atomic(), set_actor(actor):
        last = (
            live_session.activities.order_by("-position").values_list("position", flat=True).first()
        )
        activity = Activity.objects.create(
            session=live_session,
            kind=kind,
            title=title,
            config=config,
            revealed=revealed_by_default(kind),
            position=0 if last is None else last + 1,
        )
        _log(live_session.pk, (Kind.ACTIVITY, activity.pk, activity.pk))
    return activity


def update_activity(activity, *, actor, title=None, config=None) -> Activity:
    with transaction.atomic(), set_actor(actor):
        activity = _locked(activity)
        fields = []
        if title is not None:
            activity.title = _clean_title(title)
            fields.append("title")
        if config is not None:
            if activity.status != Activity.Status.DRAFT:
                raise LiveError("conflict", _("Settings can only change before the start."))
            activity.config = clean_config(activity.kind, config, session=activity.session)
            fields.append("config")
        if fields:
            activity.save(update_fields=fields)
            _log(activity.session_id, (Kind.ACTIVITY, activity.pk, activity.pk))
    return activity


def open_activity(activity, *, actor) -> Activity:
    with transaction.atomic(), set_actor(actor):
        activity = _locked(activity)
        if not activity.session.is_open:
            raise LiveError("closed", _("The session has ended."))
        if activity.status != Activity.Status.OPEN:
            activity.status, activity.closed_at = Activity.Status.OPEN, None
            activity.opened_at = activity.opened_at or timezone.now()
            activity.save(update_fields=["status", "opened_at", "closed_at"])
            _log(activity.session_id, (Kind.ACTIVITY, activity.pk, activity.pk))
    return activity


def close_activity(activity, *, actor) -> Activity:
    with transaction.atomic(), set_actor(actor):
        activity = _locked(activity)
        if activity.status != Activity.Status.OPEN:
            raise LiveError("conflict", _("Only an open activity can be closed."))
        activity.status, activity.closed_at = Activity.Status.CLOSED, timezone.now()
        activity.save(update_fields=["status", "closed_at"])
        _log(activity.session_id, (Kind.ACTIVITY, activity.pk, activity.pk))
    return activity


def reveal_activity(activity, *, actor, revealed: bool) -> Activity:
    with transaction.atomic(), set_actor(actor):
        activity = _locked(activity)
        if activity.revealed != revealed:
            activity.revealed = revealed
            activity.save(update_fields=["revealed"])
            _log(activity.session_id, (Kind.ACTIVITY, activity.pk, activity.pk))
    return activity


def move_activity(activity, *, actor, position: int) -> Activity:
    """Put the activity at `position` (0 = first) and renumber the others."""
    with transaction.atomic(), set_actor(actor):
        activity = _locked(activity)
        ordered = [a for a in activity.session.activities.all() if a.pk != activity.pk]
        ordered.insert(min(position, len(ordered)), activity)
        changes = []
        for number, item in enumerate(ordered):
            if item.position != number:
                Activity.objects.filter(pk=item.pk).update(position=number)
                changes.append((Kind.ACTIVITY, item.pk, item.pk))
        if changes:
            _log(activity.session_id, *changes)
    activity.refresh_from_db()
    return activity


def delete_activity(activity, *, actor) -> None:
    with transaction.atomic(), set_actor(actor):
        activity = _locked(activity)
        if activity.status != Activity.Status.DRAFT:
            raise LiveError("conflict", _("Only a draft can be deleted."))
        session_id, pk = activity.session_id, activity.pk
        activity.delete()
        _log(session_id, (Kind.ACTIVITY, pk, pk))


# --- participants' actions -----------------------------------------------------------------------


def _open_for(activity, participant) -> tuple[Activity, LiveParticipant]:
    """The activity and the participant, re-read in the transaction (only their pks are
    used), if the participant may act in the activity now.

    The participant's row is locked: their limits (dots, cards, questions) are checked and
    written under it. The activity's row is share-locked (see sql.activity_in_session)."""
    row, activity = sql.participant_and_activity(participant.pk, activity.pk)
    if row is None:
        raise AccessDenied(NO_ACCESS)
    removed_at, session_id, session_status, workshop_status = row
    _ensure_running(workshop_status, session_status)
    if removed_at is not None:
        raise AccessDenied(REMOVED)
    if activity is None or activity.status == Activity.Status.DRAFT:
        raise LiveError("not_found", field="activity")
    if activity.status != Activity.Status.OPEN:
        raise LiveError("closed")
    return activity, LiveParticipant(pk=participant.pk, session_id=session_id)


def _expect(activity, kind):
    if activity.kind != kind:
        raise LiveError("invalid", _("This activity is of another kind."), field="activity")


def add_card(activity, *, participant, text, category="") -> Card:
    with transaction.atomic():
        activity, participant = _open_for(activity, participant)
        _expect(activity, ActivityKind.CARDS)
        text = " ".join(str(text or "").split())
        limit = activity.config.get("max_length", 140)
        if not text or len(text) > limit:
            raise LiveError(
                "invalid",
                _("Write at most %(max)s characters.") % {"max": limit},
                field="text",
            )
        categories = activity.config.get("categories", [])
        category = str(category or "").strip()
        if categories and category not in categories:
            raise LiveError("invalid", _("Choose one of the categories."), field="category")
        if not categories and category:
            raise LiveError("invalid", _("This collection has no categories."), field="category")
        mine = Card.objects.filter(activity=activity, participant=participant).count()
        if mine >= MAX_CARDS_PER_PARTICIPANT:
            raise LiveError("conflict", _("You have written the most cards allowed here."))
        card = Card.objects.create(
            activity=activity, participant=participant, text=text, category=category
        )
        session_id = activity.session_id
    _announce(session_id, (Kind.CARD, activity.pk, card.pk))
    return card


def _option_keys(activity) -> set[str]:
    if "source" in activity.config:
        ids = Cluster.objects.filter(activity_id=activity.config["source"]).values_list(
            "pk", flat=True
        )
        return {str(pk) for pk in ids}
    return {option["key"] for option in activity.config.get("options", [])}


def set_dots(activity, *, participant, allocation: dict) -> dict:
    """Replace the participant's dots in a dot vote with `allocation` ({option key:
    count}); at most M per option and N in all. Returns the allocation now stored."""
    with transaction.atomic():
        activity, participant = _open_for(activity, participant)
        _expect(activity, ActivityKind.DOTS)
        keys = _option_keys(activity)
        per_option = activity.config["max_per_option"]
        total = activity.config["dots"]
        wanted = {}
        for key, count in allocation.items():
            if key not in keys:
                raise LiveError("invalid", _("Unknown option."), field="allocation")
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise LiveError("invalid", _("Give a number of dots."), field="allocation")
            if count > per_option:
                raise LiveError(
                    "conflict",
                    _("At most %(max)s dots per option.") % {"max": per_option},
                    field="allocation",
                )
            if count:
                wanted[key] = count
        if sum(wanted.values()) > total:
            raise LiveError(
                "conflict",
                _("You have %(max)s dots in all.") % {"max": total},
                field="allocation",
            )
        sql.replace_dots(activity.pk, participant.pk, wanted)
        session_id = activity.session_id
    _announce(session_id, (Kind.RESULTS, activity.pk, None))
    return wanted


def answer_poll(activity, *, participant, options: list) -> list:
    """Replace the participant's answer; an empty list withdraws it."""
    with transaction.atomic():
        activity, participant = _open_for(activity, participant)
        _expect(activity, ActivityKind.POLL)
        keys = _option_keys(activity)
        chosen = list(dict.fromkeys(options))
        if any(key not in keys for key in chosen):
            raise LiveError("invalid", _("Unknown option."), field="options")
        if len(chosen) > 1 and not activity.config.get("multiple"):
            raise LiveError("invalid", _("Choose one option."), field="options")
        PollAnswer.objects.filter(activity=activity, participant=participant).delete()
        PollAnswer.objects.bulk_create(
            PollAnswer(activity=activity, participant=participant, option=key) for key in chosen
        )
        session_id = activity.session_id
    _announce(session_id, (Kind.RESULTS, activity.pk, None))
    return chosen


def ask_question(activity, *, participant, text, anonymous=False) -> Question:
    with transaction.atomic():
        activity, participant = _open_for(activity, participant)
        _expect(activity, ActivityKind.QUESTIONS)
        text = " ".join(str(text or "").split())
        if not text or len(text) > MAX_QUESTION_LENGTH:
            raise LiveError(
                "invalid",
                _("Write at most %(max)s characters.") % {"max": MAX_QUESTION_LENGTH},
                field="text",
            )
        if anonymous and not activity.config.get("anonymous", True):
            raise LiveError(
                "forbidden", _("Questions are asked with names here."), field="anonymous"
            )
        mine = Question.objects.filter(activity=activity, participant=participant).count()
        if mine >= MAX_QUESTIONS_PER_PARTICIPANT:
            raise LiveError("conflict", _("You have asked the most questions allowed here."))
        question = Question.objects.create(
            activity=activity, participant=participant, text=text, anonymous=bool(anonymous)
        )
        session_id = activity.session_id
    _announce(session_id, (Kind.QUESTION, activity.pk, question.pk))
    return question


def upvote_question(question, *, participant) -> QuestionVote:
    with transaction.atomic():
        activity, participant = _open_for(question.activity, participant)
        question = Question.objects.get(pk=question.pk)
        if question.hidden or not activity.revealed:
            raise LiveError("not_found")
        if question.participant_id == participant.pk:
            raise LiveError("conflict", _("You cannot upvote your own question."))
        vote, created = QuestionVote.objects.get_or_create(
            question=question, participant=participant
        )
        if not created:
            raise LiveError("conflict", _("You have upvoted this question already."))
        session_id = activity.session_id
    _announce(session_id, (Kind.RESULTS, activity.pk, None))
    return vote


def set_mood(activity, *, participant, value) -> MoodEntry:
    with transaction.atomic():
        activity, participant = _open_for(activity, participant)
        _expect(activity, ActivityKind.MOOD)
        if activity.config.get("mode") == "word":
            word = unicodedata.normalize("NFC", value) if isinstance(value, str) else ""
            word = word.strip()
            if not WORD_PATTERN.match(word) or word.replace("-", "").replace("_", "") == "":
                raise LiveError("invalid", _("Enter one word."), field="value")
            defaults = {"value": None, "word": word}
        else:
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise LiveError("invalid", _("Choose a value from 1 to 5."), field="value")
            defaults = {"value": value, "word": ""}
        entry, _created = MoodEntry.objects.update_or_create(
            activity=activity, participant=participant, defaults=defaults
        )
        session_id = activity.session_id
    _announce(session_id, (Kind.RESULTS, activity.pk, None))
    return entry


# --- cards and questions (moderator) ------------------------------------------------------------


def _sources_of(activity):
    """Dot votes whose options are this card collection's clusters."""
    return [
        a.pk
        for a in Activity.objects.filter(session_id=activity.session_id, kind=ActivityKind.DOTS)
        if a.config.get("source") == activity.pk
    ]


def _log_cluster_change(activity, *changes):
    dependants = [(Kind.ACTIVITY, pk, pk) for pk in _sources_of(activity)]
    _log(activity.session_id, *changes, *dependants)


def create_cluster(activity, *, actor, title, card_ids=()) -> Cluster:
    """A new cluster; the cards named move into it (merging cards by drag and drop)."""
    title = _clean_title(title, MAX_CLUSTER_TITLE_LENGTH)
    with transaction.atomic(), set_actor(actor):
        activity = _locked(activity)
        _expect(activity, ActivityKind.CARDS)
        cards = list(Card.objects.filter(activity=activity, pk__in=list(card_ids)))
        if len(cards) != len(set(card_ids)):
            raise LiveError("not_found", field="cards")
        last = activity.clusters.order_by("-position").values_list("position", flat=True).first()
        cluster = Cluster.objects.create(
            activity=activity, title=title, position=0 if last is None else last + 1
        )
        for card in cards:
            card.cluster = cluster
            card.save(update_fields=["cluster"])
        _log_cluster_change(
            activity,
            (Kind.CLUSTER, activity.pk, cluster.pk),
            *[(Kind.CARD, activity.pk, card.pk) for card in cards],
        )
    return cluster


def rename_cluster(cluster, *, actor, title) -> Cluster:
    title = _clean_title(title, MAX_CLUSTER_TITLE_LENGTH)
    with transaction.atomic(), set_actor(actor):
        activity = _locked(cluster.activity)
        cluster = Cluster.objects.get(pk=cluster.pk)
        cluster.title = title
        cluster.save(update_fields=["title"])
        _log_cluster_change(activity, (Kind.CLUSTER, activity.pk, cluster.pk))
    return cluster


def delete_cluster(cluster, *, actor) -> None:
    with transaction.atomic(), set_actor(actor):
        activity = _locked(cluster.activity)
        card_ids = list(Card.objects.filter(cluster=cluster).values_list("pk", flat=True))
        Card.objects.filter(pk__in=card_ids).update(cluster=None)
        pk = cluster.pk
        cluster.delete()
        _log_cluster_change(
            activity,
            (Kind.CLUSTER, activity.pk, pk),
            *[(Kind.CARD, activity.pk, card_id) for card_id in card_ids],
        )


def move_card(card, *, actor, cluster) -> Card:
    """Into `cluster` (of the same collection) or, with None, out of any."""
    with transaction.atomic(), set_actor(actor):
        activity = _locked(card.activity)
        card = Card.objects.get(pk=card.pk)
        if cluster is not None and cluster.activity_id != activity.pk:
            raise LiveError("not_found", field="cluster")
        card.cluster = cluster
        card.save(update_fields=["cluster"])
        _log(activity.session_id, (Kind.CARD, activity.pk, card.pk))
    return card


def hide_card(card, *, actor, hidden: bool) -> Card:
    with transaction.atomic(), set_actor(actor):
        activity = _locked(card.activity)
        card = Card.objects.get(pk=card.pk)
        if card.hidden != hidden:
            card.hidden = hidden
            card.save(update_fields=["hidden"])
            _log(activity.session_id, (Kind.CARD, activity.pk, card.pk))
    return card


def mark_question(question, *, actor, answered=None, pinned=None, hidden=None) -> Question:
    with transaction.atomic(), set_actor(actor):
        activity = _locked(question.activity)
        question = Question.objects.get(pk=question.pk)
        fields = []
        for name, value in (("answered", answered), ("pinned", pinned), ("hidden", hidden)):
            if value is not None and getattr(question, name) != value:
                setattr(question, name, value)
                fields.append(name)
        if fields:
            question.save(update_fields=fields)
            _log(activity.session_id, (Kind.QUESTION, activity.pk, question.pk))
    return question
