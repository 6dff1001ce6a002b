"""A person with a record of every kind the declarations find, for the download's tests.

Each declaration names the paths from its model to a person; for each path a record is
made (model_bakery fills every other required field and related record) that reaches the
person by it, so a declaration whose records the download misses is noticed."""

import datetime

from django.contrib.contenttypes.models import ContentType
from model_bakery import baker

from participation.models import Invitation
from participation.privacy import inventory, subjects
from tests.factories import OrganisationFactory

DAY = datetime.date(2027, 3, 1)
# Values the database's checks need that random ones would miss.
SPECIAL = {
    "overview.CommitteeReport": {"start": DAY, "end": DAY, "progress": 100},
    "workshops.DotVote": {"count": 1},
    "workshops.MoodEntry": {"value": 3},
    "meetings.PollSlot": {"day": DAY},
}

# Records that may point to one person only one way.
ONE_PER_PATH = {"participation.DataExport"}


def _value(kind, subject):
    return {
        subjects.USER: subject.user,
        subjects.PERSON: subject.person,
        subjects.EMAIL: sorted(subject.emails)[0],
        subjects.INVITATION: Invitation.objects.filter(pk__in=subject.invitation_ids).first(),
    }[kind]


class Records:
    """Makes records with model_bakery, reusing one valid record per related model (an
    organisation needs its AGS, a period its order) so the database's checks hold."""

    def __init__(self, subject):
        self.subject = subject
        self.shared = {"participation.Organisation": OrganisationFactory()}

    def related(self, model):
        label = model._meta.label
        if label not in self.shared:
            self.make(model)
        return self.shared[label]

    def make(self, model, **given):
        """A record of `model` with `given`; one per model, so a second call sets `given` on
        the first (a unique pair such as survey and organisation is never made twice)."""
        existing = self.shared.get(model._meta.label)
        if existing is not None and model._meta.label not in ONE_PER_PATH:
            for name, value in given.items():
                setattr(existing, name, value)
            existing.save()
            return existing
        for field in model._meta.concrete_fields:
            if field.name in given or not field.is_relation or field.null:
                continue
            if field.related_model is ContentType:
                continue
            given[field.name] = self.related(field.related_model)
        given.update(SPECIAL.get(model._meta.label, {}))
        if model._meta.label == "meetings.Task":  # a task has one owner, a person or not
            given.setdefault("owner_person", self.subject.person)
        record = baker.make(model, **given)
        self.shared[model._meta.label] = record
        return record

    def along(self, model, path, value):
        parts = path.split("__")
        if len(parts) == 1:
            return self.make(model, **{path: value})
        # The record the path runs through first, then the one that points to it.
        first = model._meta.get_field(parts[0])
        through = self.along(first.related_model, "__".join(parts[1:]), value)
        return self.make(model, **{parts[0]: through})


def a_record_of_every_kind(subject):
    """One record per declaration and path that leads to `subject` (its account, person,
    e-mail address or invitations); the subject's own rows already exist."""
    made, records = [], Records(subject)
    for declaration in inventory.declarations():
        model = declaration.model_class
        for path in declaration.subject:
            if path == "pk":
                continue
            kind = subjects.target_kind(model, path)
            value = _value(kind, subject)
            if value is None:
                continue
            made.append(records.along(model, path, value))
    return made


def an_event_invitation(person, email):
    event = baker.make("workshops.Workshop")
    return Invitation.objects.create(
        event_type=ContentType.objects.get_for_model(event),
        event_id=event.pk,
        person=person,
        email=email,
        name=str(person) if person else "Erika Gast",
        accessibility_needs="Rollstuhlgerechter Zugang",
        dietary_wishes="vegetarisch",
    )
