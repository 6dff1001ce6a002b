"""The workshops demo seeded by `seed_demo`: a published workshop with agenda and audience and
no invitation sent, and the steering group's retreat with invitations sent a week ago (replies
missing, one failed mail); idempotent."""

import io

import pytest
from django.core.management import call_command

from participation.events import audiences, selectors
from participation.models import AudienceEntry, Invitation, OutboundMail, Reply
from workshops.demo import RETREAT, TITLE
from workshops.models import AgendaItem, Workshop

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_one_published_workshop_once():
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    workshop = Workshop.objects.get(title=TITLE)
    assert workshop.status == "published"
    assert workshop.is_hybrid and workshop.capacity == 40
    assert workshop.registration_deadline < workshop.start < workshop.end
    assert AgendaItem.objects.filter(workshop=workshop).count() == 5
    kinds = set(selectors.entries_of(workshop).values_list("kind", flat=True))
    assert kinds == {
        AudienceEntry.Kind.BODY,
        AudienceEntry.Kind.ORGANISATION_KIND,
        AudienceEntry.Kind.EMAIL,
    }
    preview = audiences.resolve_audience(workshop)
    assert len(preview.recipients) > 5
    assert not selectors.invitations_of(workshop).exists()
    assert f'workshops demo: "{TITLE}" published' in output.getvalue()

    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert Workshop.objects.filter(title=TITLE).count() == 1
    assert AgendaItem.objects.filter(workshop=workshop).count() == 5
    assert "already exists, nothing changed" in output.getvalue()


def test_seed_demo_adds_the_retreat_with_replies_missing_and_one_failed_mail():
    call_command("seed_demo", stdout=io.StringIO())
    retreat = Workshop.objects.get(title=RETREAT)
    invitations = selectors.with_delivery_status(selectors.invitations_of(retreat))
    assert invitations.count() > 10
    assert invitations.filter(reply=Reply.NONE).count() > 3
    assert invitations.filter(reply=Reply.ACCEPTED).count() == 4
    assert list(invitations.filter(delivery_status="failed").values_list("name", flat=True)) == [
        "Ute Fassbender"
    ]
    assert OutboundMail.objects.filter(status=OutboundMail.Status.QUEUED).count() == 0
    assert not OutboundMail.objects.exclude(body_text="").exists()
    assert Invitation.objects.filter(person__last_name="Lübben", reply=Reply.NONE).exists()

    call_command("seed_demo", stdout=io.StringIO())
    assert selectors.invitations_of(retreat).count() == invitations.count()
