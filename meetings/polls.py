"""Date polls (Terminumfrage): the coordinator proposes slots, every invitee answers yes / if
need be / no per slot through a personal link (no account needed), the coordinator sees the
matrix, reminds those who have not answered, and picks a slot: the meeting is created (or
moved) and its invitations go out through the base's pipeline, the replies pre-filled from
the votes. Each write validates first, saves in one transaction and names its actor in the
audit trail."""

import datetime

from auditlog.context import set_actor
from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import mail, personal_links
from participation.audit import record_action
from participation.events import invitations, replies
from participation.events.selectors import invitations_of
from participation.models import BodyMembership, EventStatus, Reply

from . import recurrence, services
from .models import DatePoll, Meeting, PollAnswer, PollInvitee, PollSlot, PollStatus, PollVote

MAIL_TEMPLATE = "meetings/mail/poll"
# A vote becomes this reply of the invitation to the chosen meeting.
REPLY_FOR = {
    PollAnswer.YES: Reply.ACCEPTED,
    PollAnswer.MAYBE: Reply.TENTATIVE,
    PollAnswer.NO: Reply.DECLINED,
}
MAX_SLOTS = 30
SESSION_KEY = "meeting_poll_invitees"


# --- slots -----------------------------------------------------------------------------------


def timed_slot(day: datetime.date, start: datetime.time, end: datetime.time) -> PollSlot:
    """A slot at local wall-clock times in Europe/Berlin (summer time included)."""
    zone = recurrence.local_zone()
    return PollSlot(
        start=datetime.datetime.combine(day, start).replace(tzinfo=zone),
        end=datetime.datetime.combine(day, end).replace(tzinfo=zone),
    )


def all_day_slot(day: datetime.date) -> PollSlot:
    return PollSlot(day=day)


def check_slots(slots, *, now=None):
    """Refuse an empty list, a slot in the past, an end before its start, a repeated slot."""
    now = now or timezone.now()
    today = timezone.localdate(now, recurrence.local_zone())
    if not slots:
        raise ValidationError({"slots": _("Propose at least one date.")})
    if len(slots) > MAX_SLOTS:
        raise ValidationError(
            {"slots": _("Propose at most %(count)s dates.") % {"count": MAX_SLOTS}}
        )
    seen = set()
    for slot in slots:
        if slot.day is not None:
            if slot.day < today:
                raise ValidationError(
                    {"slots": _("%(slot)s lies in the past.") % {"slot": slot.label()}}
                )
            key = ("day", slot.day)
        else:
            if slot.end <= slot.start:
                raise ValidationError(
                    {"slots": _("%(slot)s ends before it starts.") % {"slot": slot.label()}}
                )
            if slot.start <= now:
                raise ValidationError(
                    {"slots": _("%(slot)s lies in the past.") % {"slot": slot.label()}}
                )
            key = ("time", slot.start, slot.end)
        if key in seen:
            raise ValidationError(
                {"slots": _("%(slot)s is proposed twice.") % {"slot": slot.label()}}
            )
        seen.add(key)


def check_answer_by(poll: DatePoll, *, now=None):
    """Refuse an answer-by date that has passed."""
    today = timezone.localdate(now or timezone.now(), recurrence.local_zone())
    if poll.answer_by is not None and poll.answer_by < today:
        raise ValidationError({"answer_by": _("The answer-by date lies in the past.")})


# --- creating and sending --------------------------------------------------------------------


def create_poll(poll: DatePoll, *, slots, actor, invite_seats=True) -> DatePoll:
    """Save the poll with its slots and (by default) the body's current seat holders as
    invitees; nothing is saved if a slot is refused."""
    if poll.meeting_id and poll.meeting.series_id != poll.series_id:
        raise ValidationError({"meeting": _("The meeting belongs to another series.")})
    check_slots(slots)
    check_answer_by(poll)
    with transaction.atomic(), set_actor(actor):
        if actor is not None and poll.created_by_id is None:
            poll.created_by = actor
        poll.status = PollStatus.OPEN
        poll.full_clean()
        poll.save()
        for slot in slots:
            slot.poll = poll
        PollSlot.objects.bulk_create(slots)
        if invite_seats:
            add_seat_holders(poll)
        record_action(poll, actor=actor, changes={"slots": [None, len(slots)]})
    return poll


def add_seat_holders(poll: DatePoll) -> int:
    """Invite each current seat holder of the body who has an e-mail address, with the
    organisation their seat represents; returns how many were added."""
    seats = (
        BodyMembership.objects.current()
        .filter(body_id=poll.series.body_id)
        .select_related("person", "represents")
        .order_by("pk")
    )
    known = set(poll.invitees.values_list("email", flat=True))
    new = []
    for seat in seats:
        email = (seat.person.email or "").strip().lower()
        if not email or email in known:
            continue
        known.add(email)
        new.append(
            PollInvitee(
                poll=poll,
                person=seat.person,
                organisation=seat.represents,
                name=seat.person.full_name,
                email=email,
                language=seat.person.language,
            )
        )
    PollInvitee.objects.bulk_create(new)
    return len(new)


def send_poll(poll: DatePoll, *, actor) -> int:
    """Mail the poll to every invitee not asked yet, each with their own personal link."""
    _check_open(poll)
    with transaction.atomic():
        invitees = list(poll.invitees.filter(invited_at=None).select_for_update())
        now = timezone.now()
        for invitee in invitees:
            mail_invitee(invitee, purpose="invitation")
            invitee.invited_at = now
            invitee.save(update_fields=["token_hash", "invited_at"])
        if invitees:
            record_action(poll, actor=actor, changes={"poll_sent": [None, len(invitees)]})
    return len(invitees)


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min).replace(tzinfo=recurrence.local_zone())


def _claim_reminder(invitee_id, *, not_since, now) -> bool:
    """Mark the invitee reminded unless they answered or were reminded at or after
    `not_since`. The conditional UPDATE is the guarantee: a second run, or a second worker
    at the same moment, finds the row changed (PostgreSQL checks the condition again once
    the first transaction commits) and sends nothing. Only columns of this row in the
    condition: a join would become a subquery, which is not checked again."""
    return bool(
        PollInvitee.objects.filter(
            Q(reminded_at=None) | Q(reminded_at__lt=not_since),
            pk=invitee_id,
            answered_at=None,
            invited_at__isnull=False,
        ).update(reminded_at=now)
    )


def _remind_each(poll, *, not_since, now) -> int:
    candidates = (
        poll.invitees.filter(Q(reminded_at=None) | Q(reminded_at__lt=not_since), answered_at=None)
        .exclude(invited_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reminded = 0
    for invitee_id in list(candidates):
        # One transaction per invitee: the claim and the mail are saved together or not at all.
        with transaction.atomic():
            if not _claim_reminder(invitee_id, not_since=not_since, now=now):
                continue
            invitee = PollInvitee.objects.select_related("poll").get(pk=invitee_id)
            mail_invitee(invitee, purpose="reminder")
            invitee.save(update_fields=["token_hash"])
        reminded += 1
    return reminded


def remind(poll: DatePoll, *, actor, now=None) -> int:
    """Remind the invitees who were asked and have not answered, each at most once a day,
    whether by this button or by the automatic reminder (a repeated press tells nobody
    twice); returns how many were reminded."""
    _check_open(poll)
    now = now or timezone.now()
    today = timezone.localdate(now, recurrence.local_zone())
    reminded = _remind_each(poll, not_since=_day_start(today), now=now)
    if reminded:
        record_action(poll, actor=actor, changes={"poll_reminders": [None, reminded]})
    return reminded


def reminder_day(poll: DatePoll) -> datetime.date | None:
    """The day the automatic reminder falls due: some days before the answer-by date."""
    if poll.answer_by is None:
        return None
    return poll.answer_by - datetime.timedelta(days=settings.MEETINGS_POLL_REMINDER_DAYS)


def next_reminder_day(poll: DatePoll, *, today=None) -> datetime.date | None:
    """When the automatic reminder goes out, as the page says it: its day, or today if
    that has come (the poll was created or sent late)."""
    day = reminder_day(poll)
    today = today or timezone.localdate(timezone.now(), recurrence.local_zone())
    return None if day is None else max(day, today)


def send_due_reminders(*, now=None) -> int:
    """Remind each invitee of an open poll who has not answered, once the poll's reminder
    day has come (until its answer-by date): once per poll and answer-by date. Someone
    reminded by hand since the reminder day is not reminded again. Returns mails queued."""
    now = now or timezone.now()
    today = timezone.localdate(now, recurrence.local_zone())
    due_polls = DatePoll.objects.filter(
        status=PollStatus.OPEN,
        answer_by__gte=today,
        answer_by__lte=today + datetime.timedelta(days=settings.MEETINGS_POLL_REMINDER_DAYS),
    ).order_by("pk")
    sent = 0
    for poll in due_polls:
        reminded = _remind_each(poll, not_since=_day_start(reminder_day(poll)), now=now)
        if reminded:
            record_action(poll, actor=None, changes={"automatic_poll_reminders": [None, reminded]})
        sent += reminded
    return sent


# The name is the one the stored beat schedule carries.
@shared_task(name="meetings.tasks.send_poll_reminders")
def send_poll_reminders_task():
    """Daily (beat): remind invitees of date polls whose answer-by date is near."""
    return send_due_reminders()


def mail_invitee(invitee, *, purpose):
    """A fresh personal link (the earlier one stops working) in a mail through the base's
    one mail path; the token exists only in the mail, which is scrubbed once sent."""
    raw, invitee.token_hash = personal_links.new_token()
    link = settings.SITE_URL + reverse("meetings:poll_link", args=[raw])
    poll = invitee.poll
    context = {
        "invitee": invitee,
        "poll": poll,
        "slots": list(poll.slots.all()),
        "link": link,
        "purpose": purpose,
        "answer_by": poll.answer_by,
    }
    subject, body_text, body_html = mail.render_templated_mail(
        MAIL_TEMPLATE, context=context, language=invitee.language
    )
    mail.queue_mail(
        to=invitee.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=invitee.language,
        scrub_after_sending=True,
    )


# --- answering -------------------------------------------------------------------------------


def invitee_for_token(request, raw_token):
    """The invitee whose personal link this is (open polls only), or None; failures count
    towards the address's limit (raises personal_links.RateLimited)."""
    return personal_links.open_link(
        request,
        PollInvitee.objects.select_related("poll"),
        raw_token,
        scope="meeting-poll-link",
        limit=settings.INVITATION_LINK_RATE_LIMIT,
    )


def resolve_token(raw_token):
    return personal_links.resolve(PollInvitee.objects.select_related("poll"), raw_token)


def invitee_for_visitor(request, pk):
    """The invitee `pk` if this visitor opened their link in this session or is that
    signed-in person; otherwise None."""
    invitee = PollInvitee.objects.select_related("poll__series__body").filter(pk=pk).first()
    if invitee is None:
        return None
    if pk in personal_links.held_in_session(request.session, SESSION_KEY):
        return invitee
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    if person is not None and invitee.person_id == person.pk:
        return invitee
    return None


def answer(invitee: PollInvitee, answers: dict, *, now=None) -> PollInvitee:
    """Store the invitee's answers {slot id: "yes" | "maybe" | "no"} for every slot of the
    poll; refused (nothing saved) once the poll is closed or for a slot of another poll."""
    now = now or timezone.now()
    with transaction.atomic():
        poll = DatePoll.objects.select_for_update().get(pk=invitee.poll_id)
        if poll.status != PollStatus.OPEN:
            raise ValidationError(_("This date poll is closed; answers can no longer change."))
        slot_ids = set(poll.slots.values_list("pk", flat=True))
        given = {int(slot): value for slot, value in answers.items()}
        if set(given) != slot_ids:
            raise ValidationError(_("Please answer for every proposed date."))
        if any(value not in PollAnswer.values for value in given.values()):
            raise ValidationError(_("Answer yes, if need be or no."))
        existing = {vote.slot_id: vote for vote in PollVote.objects.filter(invitee=invitee)}
        changed = {}
        for slot_id, value in given.items():
            vote = existing.get(slot_id)
            if vote is None:
                PollVote.objects.create(invitee=invitee, slot_id=slot_id, answer=value)
                changed[slot_id] = [None, value]
            elif vote.answer != value:
                changed[slot_id] = [vote.answer, value]
                vote.answer = value
                vote.save(update_fields=["answer", "updated_at"])
        invitee.answered_at = now
        PollInvitee.objects.filter(pk=invitee.pk).update(answered_at=now)
        if changed:
            record_action(
                poll,
                actor=None,
                changes={
                    "answers_of": [None, invitee.name],
                    **{str(k): v for k, v in changed.items()},
                },
            )
    return invitee


def answers_of(invitee) -> dict[int, str]:
    return dict(PollVote.objects.filter(invitee=invitee).values_list("slot_id", "answer"))


# --- the coordinator's view ------------------------------------------------------------------


def matrix(poll: DatePoll) -> dict:
    """Everything the matrix page shows, in a fixed number of queries: per slot the counts
    of yes / if need be / no, the organisations that can come (yes or if need be) and
    those that cannot; who has not answered."""
    slots = sorted(poll.slots.all(), key=PollSlot.sort_key)
    invitees = list(poll.invitees.select_related("organisation").order_by("name", "pk"))
    votes = {}
    for invitee_id, slot_id, value in PollVote.objects.filter(invitee__poll=poll).values_list(
        "invitee_id", "slot_id", "answer"
    ):
        votes[(invitee_id, slot_id)] = value
    organisations = {}
    for invitee in invitees:
        if invitee.organisation_id:
            organisations[invitee.organisation_id] = invitee.organisation
    columns = []
    for slot in slots:
        counts = {value: 0 for value in PollAnswer.values}
        present = set()
        for invitee in invitees:
            value = votes.get((invitee.pk, slot.pk))
            if value:
                counts[value] += 1
                if value != PollAnswer.NO and invitee.organisation_id:
                    present.add(invitee.organisation_id)
        missing = [org for pk, org in organisations.items() if pk not in present]
        columns.append(
            {
                "slot": slot,
                "counts": counts,
                "represented": [org for pk, org in organisations.items() if pk in present],
                "missing": sorted(missing, key=str),
                "all_represented": not missing,
            }
        )
    rows = [
        {
            "invitee": invitee,
            "answers": [votes.get((invitee.pk, slot.pk)) for slot in slots],
        }
        for invitee in invitees
    ]
    return {
        "slots": slots,
        "columns": columns,
        "rows": rows,
        "unanswered": [invitee for invitee in invitees if invitee.answered_at is None],
        "organisations": sorted(organisations.values(), key=str),
    }


def close(poll: DatePoll, *, actor) -> DatePoll:
    """No more answers; the invitees' links stop working."""
    with transaction.atomic(), set_actor(actor):
        poll = DatePoll.objects.select_for_update().get(pk=poll.pk)
        _check_open(poll)
        poll.status = PollStatus.CLOSED
        poll.save(update_fields=["status", "updated_at"])
    return poll


def decide(poll: DatePoll, slot: PollSlot, *, actor) -> Meeting:
    """Pick `slot`: the poll's meeting moves there (or an extra meeting of the series is
    created), everyone asked is invited through the base's pipeline, and each reply is
    pre-filled from their vote for this slot (yes → accepted, if need be → tentative,
    no → declined) before the invitation mails are written."""
    with transaction.atomic(), set_actor(actor):
        poll = DatePoll.objects.select_for_update().select_related("series").get(pk=poll.pk)
        if poll.status == PollStatus.DECIDED:
            raise ValidationError(_("A date has already been chosen for this poll."))
        if slot.poll_id != poll.pk:
            raise ValidationError({"slot": _("Choose one of this poll's dates.")})
        start, end = _span(slot, poll.series)
        if start <= timezone.now():
            raise ValidationError({"slot": _("This date lies in the past now.")})
        meeting = _meeting_for(poll, start, end, actor)
        votes = dict(PollVote.objects.filter(slot=slot).values_list("invitee_id", "answer"))
        invited = {
            email.lower() for email in invitations_of(meeting).values_list("email", flat=True)
        }
        for invitee in poll.invitees.select_related("person", "organisation").order_by("pk"):
            if invitee.email.lower() in invited:
                invitation = invitations_of(meeting).get(email__iexact=invitee.email)
            else:
                invitation = invitations.invite_person(
                    meeting,
                    email=invitee.email,
                    name=invitee.name,
                    person=invitee.person,
                    organisation=invitee.organisation,
                    language=invitee.language,
                    actor=actor,
                )
            vote = votes.get(invitee.pk)
            if vote:
                replies.reply_to_invitation(invitation, reply=REPLY_FOR[vote])
        poll.status = PollStatus.DECIDED
        poll.chosen_slot = slot
        poll.decided_meeting = meeting
        poll.save(update_fields=["status", "chosen_slot", "decided_meeting", "updated_at"])
        record_action(poll, actor=actor, changes={"chosen_slot": [None, slot.label()]})
    return meeting


def _span(slot, series):
    if slot.day is None:
        return slot.start, slot.end
    # A whole day in the calendar: from the series' usual start time, for its duration.
    zone = recurrence.local_zone()
    start = datetime.datetime.combine(slot.day, series.start_time).replace(tzinfo=zone)
    return start, start + series.duration


def _meeting_for(poll, start, end, actor):
    if poll.meeting_id:
        return services.move_meeting(poll.meeting, start=start, end=end, actor=actor)
    series = poll.series
    existing = series.meetings.filter(recurrence_id=start).first()
    if existing is not None:
        if existing.status != EventStatus.PUBLISHED:
            raise ValidationError({"slot": _("The series' meeting at this date was cancelled.")})
        return existing
    meeting = Meeting(
        series=series,
        title=poll.title,
        status=EventStatus.PUBLISHED,
        start=start,
        end=end,
        recurrence_id=start,
        venue_name=series.venue_name,
        venue_address=series.venue_address,
        online_url=series.online_url,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def _check_open(poll):
    if poll.status != PollStatus.OPEN:
        raise ValidationError(_("This date poll is closed."))
