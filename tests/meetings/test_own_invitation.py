"""A member opening a meeting sees their own invitation and reply there, with the way to
reply; an informed deputy sees that they are informed, not asked."""

import pytest

from meetings.invitations import send_meeting_invitations
from participation.events import replies
from participation.events.selectors import invitations_of
from participation.models import Reply
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(series, coordinator, member, deputy):
    meeting = series.meetings.order_by("start").first()
    send_meeting_invitations(meeting, actor=coordinator)
    return meeting


def _box(page):
    return page.split('id="own-invitation"')[1].split("</div>\n    </div>")[0]


def test_the_member_sees_they_have_not_replied_and_a_link_to_reply(client, member, meeting):
    client.force_login(member)
    box = _box(client.get(meeting.get_absolute_url()).content.decode())
    invitation = invitations_of(meeting).get(person=member.person)
    assert "Sie sind eingeladen und haben noch nicht geantwortet." in box
    assert f'href="/invitation/{invitation.pk}/">Jetzt antworten</a>' in box


def test_after_replying_the_member_sees_their_reply_and_may_change_it(client, member, meeting):
    invitation = invitations_of(meeting).get(person=member.person)
    replies.reply_to_invitation(invitation, reply=Reply.DECLINED)
    client.force_login(member)
    box = _box(client.get(meeting.get_absolute_url()).content.decode())
    assert "Ihre Antwort: Abgesagt." in box
    assert "Antwort ändern" in box


def test_an_informed_deputy_with_an_account_sees_they_are_informed(client, member, deputy, meeting):
    user = UserFactory(email=deputy.email)
    deputy.user = user
    deputy.save()
    client.force_login(user)
    box = _box(client.get(meeting.get_absolute_url()).content.decode())
    assert (
        f"Sie sind als Stellvertretung von {member.person.full_name} informiert; "
        f"eingeladen werden Sie, wenn {member.person.full_name} absagt." in box
    )
    assert "/invitation/" not in box


def test_someone_not_invited_sees_no_invitation_box(client, coordinator, meeting):
    client.force_login(coordinator)
    assert 'id="own-invitation"' not in client.get(meeting.get_absolute_url()).content.decode()
