"""What the tests of batched invitation mail compare: every message a `MessageRenderer`
renders for a batch against the same message rendered on its own (`render_message`)."""

import re

from participation.events import invitations
from participation.events.links import new_token
from participation.models import InvitationMessage

Purpose = InvitationMessage.Purpose
# The moment the calendar file is made differs from one call to the next.
_STAMP = re.compile(r"^DTSTAMP:\d{8}T\d{6}Z\r$", re.MULTILINE)


def as_compared(outbound):
    attachments = [
        {**attachment, "content": _STAMP.sub("DTSTAMP:-\r", attachment["content"])}
        for attachment in outbound.attachments
    ]
    return {
        "to": outbound.to,
        "subject": outbound.subject,
        "body_text": outbound.body_text,
        "body_html": outbound.body_html,
        "language": outbound.language,
        "attachments": attachments,
        "scrub_after_sending": outbound.scrub_after_sending,
    }


def raw_token_for(invitation, event, purpose):
    """A personal link's token where `prepare_messages` gives the message one."""
    wants_link = purpose not in (Purpose.CANCELLATION, Purpose.INFORMATION)
    if wants_link and not invitation.informed and event.links_usable():
        return new_token()[0]
    return None


def assert_batch_renders_as_one_at_a_time(batch, event, purpose, key):
    """Render `batch` (invitations) with one `MessageRenderer`, each also on its own, and
    compare every field. Returns how many texts the renderer rendered for the batch."""
    renderer = invitations.MessageRenderer()
    for invitation in batch:
        token = raw_token_for(invitation, event, purpose)
        batched = renderer.render(invitation, event, purpose, token, key)
        alone = invitations.render_message(invitation, event, purpose, token, key)
        assert as_compared(batched) == as_compared(alone), (invitation.email, purpose)
        if token:
            assert token in batched.body_text and token in batched.body_html
    return len(renderer._texts)
