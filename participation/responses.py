"""Writes for an organisation answering as one (see `models/responses.py`): saving an answer
under the conflict rule with its history, submitting, reopening, extending one
organisation's deadline, and reminding a contact person at most once a day.

The feature app validates what it stores (its question kinds are its own) and calls these
with its subclassed models; it re-exports the exceptions for its views."""

from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .mail import send_templated_mail
from .models import ContactReminder, Membership, Organisation, OrganisationResponse


class AnswerConflict(Exception):
    """Someone else changed the answer since the editor loaded it. Carries the current
    answer so the editor can see both values and choose."""

    def __init__(self, answer):
        super().__init__(f"answer {answer.pk} is at revision {answer.revision}")
        self.answer = answer


class IncompleteResponse(ValidationError):
    """Submitting failed: these required questions have no answer."""

    def __init__(self, questions):
        self.questions = questions
        super().__init__([_("“%s” needs an answer.") % question for question in questions])


def revision_name(key):
    """The hidden input that carries the revision an edit of question `key` started from."""
    return f"q-{key}-revision"


def posted_revision(data, key) -> int:
    """The revision an edit of question `key` started from: 0 (a new answer) when none is
    posted, -1 (matching no revision, so a conflict unless nothing changed) when garbled."""
    try:
        return int(data.get(revision_name(key), "0"))
    except ValueError:
        return -1


def _locked(response):
    return type(response).objects.select_for_update().get(pk=response.pk)


def save_answer(response, question, value, *, actor, base_revision: int, whole_form=False):
    """Store the already validated `value` as the response's answer to `question`.

    The conflict rule: `base_revision` is the revision the editor started from; if someone
    saved a different value since, AnswerConflict is raised and nothing changes. Saving the
    value that is already there is not a conflict. `whole_form`: the value comes with every
    other question of a form, touched or not (a section saved without JavaScript, inputs
    kept over a sign-in); a value that is just what the editor saw at `base_revision` is
    then no edit, and the answer is left as it is, whoever changed it since.

    `question` is the answer's `question`, or a mapping of the fields that name an answer
    keyed by more than one (a cell of a grid: `{"space": …, "indicator": …}`).

    Returns the answer (unsaved, revision 0, when nothing was typed into a never-answered
    question)."""
    answers = type(response).answers.rel.related_model
    where = question if isinstance(question, dict) else {"question": question}
    with transaction.atomic():
        # One lock per response serialises its saves; a handful of staff share one.
        locked = _locked(response)
        locked.check_editable()
        answer = answers.objects.filter(response=locked, **where).first()
        if answer is None:
            answer = answers(response=locked, revision=0, **where)
            if value is None:
                return answer  # nothing typed into a never-answered question: nothing to keep
        if answer.value == value and answer.pk:
            return answer
        if answer.revision != base_revision:
            if whole_form and _value_at(answer, base_revision) == value:
                return answer
            raise AnswerConflict(answer)
        old_value = answer.value
        answer.value = value
        answer.revision += 1
        answer.updated_by = actor
        answer.save()
        answer.changes.create(
            revision=answer.revision, old_value=old_value, new_value=value, changed_by=actor
        )
        locked.last_activity_at = timezone.now()
        locked.save(update_fields=["last_activity_at"])
    return answer


_UNKNOWN = object()


def _value_at(answer, revision: int):
    """The answer's value at `revision` (None before the first save), from its history."""
    if revision == 0:
        return None
    if not answer.pk:
        return _UNKNOWN
    change = answer.changes.filter(revision=revision).first()
    return change.new_value if change else _UNKNOWN


def submit(response, *, actor, missing):
    """Make the response read-only once `missing(response)` finds no required question
    without an answer (IncompleteResponse otherwise)."""
    with transaction.atomic(), set_actor(actor):
        locked = _locked(response)
        locked.check_editable()
        if unanswered := missing(locked):
            raise IncompleteResponse(unanswered)
        locked.status = locked.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.last_activity_at = locked.submitted_at
        locked.save()
    return locked


def reopen(response, *, actor):
    """A coordinator opens a submitted response for changes again."""
    with transaction.atomic(), set_actor(actor):
        response.status = response.Status.IN_PROGRESS
        response.submitted_at = None
        response.submitted_by = None
        response.save()
    return response


def extend_deadline(response, *, actor, until):
    """Give one organisation more time than everyone's deadline."""
    deadline = response.default_deadline
    if deadline and until <= deadline:
        raise ValidationError({"deadline_extended_to": str(response.extension_too_early)})
    with transaction.atomic(), set_actor(actor):
        response.deadline_extended_to = until
        response.save(update_fields=["deadline_extended_to"])
    return response


def reminder_contacts(organisations, *, on=None):
    """Current contact memberships with an e-mail address of the given organisations."""
    return (
        Membership.objects.current(on=on)
        .filter(is_contact=True, organisation__in=organisations)
        .exclude(person__email="")
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__last_name", "person__first_name", "pk")
    )


def mail_contacts_once(organisations, *, claim, template, context) -> int:
    """Mail every current contact person with an e-mail address of the organisations once.
    `claim(membership)` gets or creates the row that records this mail to this person (a
    row unique per what the mail is about, organisation and person) and returns it with
    whether it is new; it is written in the same transaction that queues the mail, so a
    second run, a redelivered task or two clicks at once send nothing twice. The row's
    `mail` is the queued mail. The context gets the person and the organisation. Returns
    how many mails were queued now."""
    sent = 0
    for membership in reminder_contacts(organisations):
        with transaction.atomic():
            row, created = claim(membership)
            if not created:
                continue
            row.mail = send_templated_mail(
                template,
                to=membership.person.email,
                language=membership.person.language,
                context={
                    **context,
                    "person": membership.person,
                    "organisation": membership.organisation,
                },
            )
            row.save(update_fields=["mail"])
            sent += 1
    return sent


def automatic_reminder_due(reminders, *, reminder_day, open_since, today) -> bool:
    """Whether the daily task sends the automatic reminder whose day is `reminder_day`
    today: on that day, or on the first run after it if the task did not run that day (beat
    stopped, the worker down), once: not when an automatic reminder is recorded in
    `reminders` since that day, nor for something not yet open on it (`open_since`, a
    date), nor after `today` has passed the deadline (the caller selects only those)."""
    if reminder_day > today or open_since is None or open_since > reminder_day:
        return False
    sent = reminders.filter(kind=ContactReminder.Kind.AUTO, sent_on__gte=reminder_day)
    return not sent.exists()


def remind_once(reminders, membership, *, on, kind, actor, template, context) -> bool:
    """Record one reminder to a contact person (`membership`) in the `reminders` manager
    (e.g. `survey.reminders`, which fills in what it is about) and queue its mail, in one
    transaction; False, sending nothing, if this person was reminded of it on that day."""
    person, organisation = membership.person, membership.organisation
    with transaction.atomic():
        reminder, created = reminders.get_or_create(
            organisation=organisation,
            person=person,
            sent_on=on,
            defaults={"kind": kind, "requested_by": actor},
        )
        if not created:
            return False
        reminder.mail = send_templated_mail(
            template, to=person.email, language=person.language, context=context
        )
        reminder.save(update_fields=["mail"])
    return True


@dataclass
class ReminderResult:
    """What a reminder run did: mails queued now, contacts already reminded that day, and
    the organisations that could not be reminded because nobody there is a contact
    person with an e-mail address."""

    sent: int = 0
    already_reminded: int = 0
    without_contact: list[Organisation] = field(default_factory=list)


def remind_unsubmitted(
    *, responses, audience, reminders, deadline, kind, actor, template, context
) -> ReminderResult:
    """Remind every organisation of the `audience` whose response (among `responses`) is
    not submitted, also those that have not started: each current contact person with an
    e-mail address gets one mail a day at most (`remind_once`), naming the organisation's
    own deadline (an extension counts, else `deadline`). The mail's context is `context`
    plus the person, the organisation and that deadline."""
    today = timezone.localdate()
    submitted = responses.filter(status=OrganisationResponse.Status.SUBMITTED)
    organisations = list(
        audience.exclude(pk__in=submitted.values("organisation_id")).order_by("name")
    )
    extensions = dict(
        responses.filter(deadline_extended_to__isnull=False).values_list(
            "organisation_id", "deadline_extended_to"
        )
    )
    result = ReminderResult()
    reached = set()
    for membership in reminder_contacts(organisations, on=today):
        reached.add(membership.organisation_id)
        sent = remind_once(
            reminders,
            membership,
            on=today,
            kind=kind,
            actor=actor,
            template=template,
            context={
                **context,
                "person": membership.person,
                "organisation": membership.organisation,
                "deadline": extensions.get(membership.organisation_id) or deadline,
            },
        )
        if sent:
            result.sent += 1
        else:
            result.already_reminded += 1
    result.without_contact = [org for org in organisations if org.pk not in reached]
    return result
