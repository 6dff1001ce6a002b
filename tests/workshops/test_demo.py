"""The workshops demo seeded by `seed_demo`: one published workshop with agenda and
audience, no invitation sent; idempotent."""

import io

import pytest
from django.core.management import call_command

from participation.events import audiences, selectors
from participation.models import AudienceEntry, Invitation, OutboundMail
from workshops.demo import TITLE
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
    assert not Invitation.objects.exists()
    assert not OutboundMail.objects.exists()
    assert f'workshops demo: "{TITLE}" published' in output.getvalue()

    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert Workshop.objects.filter(title=TITLE).count() == 1
    assert AgendaItem.objects.filter(workshop=workshop).count() == 5
    assert "already exists, nothing changed" in output.getvalue()
