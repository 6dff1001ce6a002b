"""The personal data workshops and their live sessions hold, for the records of processing
and the download of one's own data (the contract: `participation/privacy/inventory.py`).
Invitations and replies are the base's; here: who set up and documented a workshop, who
presents, and everything a participant did in a live session."""

from django.utils.translation import gettext_lazy as _

from participation.privacy.inventory import (
    PUBLIC_TASK,
    Declaration,
    NoPersonalData,
    authored,
)

VENUE = _("the venue of an event, not a person")
PARTICIPANT = ("participant__user", "participant__invitation")
LIVE_VISIBLE = _("the session's participants and moderators; coordinators")


def _live(key, model, fields, *, context, purpose, subject=PARTICIPANT):
    return Declaration(
        key=key,
        model=model,
        fields=fields,
        context=context,
        category=_("Contributions in live sessions"),
        purpose=purpose,
        legal_basis=PUBLIC_TASK,
        visible_to=LIVE_VISIBLE,
        retention="records",
        subject=subject,
    )


DECLARATIONS = [
    authored(
        "workshop_created",
        "workshops.Workshop",
        "created_by",
        context=("title", "start"),
        purpose=_("Knowing who set up a workshop"),
        exempt={"venue_name": VENUE, "venue_address": VENUE},
    ),
    Declaration(
        key="workshop_presenter",
        model="workshops.AgendaItem",
        fields=("presenter",),
        context=("workshop", "title"),
        category=_("Programmes of events"),
        purpose=_("Telling invitees who presents an item"),
        legal_basis=PUBLIC_TASK,
        visible_to=_("the invitees of the event; coordinators"),
        retention="records",
        unfindable=_("a name typed as free text into the programme, linked to nobody"),
    ),
    authored(
        "workshop_document",
        "workshops.Document",
        "uploaded_by",
        fields=("original_name",),
        context=("workshop", "title", "uploaded_at"),
        purpose=_("Knowing who uploaded a document"),
    ),
    NoPersonalData("workshops.LiveSession", _("a live session's state and join code")),
    NoPersonalData("workshops.Activity", _("an activity of a live session and its settings")),
    NoPersonalData("workshops.Cluster", _("a group of cards, named by the moderator")),
    NoPersonalData("workshops.LiveEvent", _("the order of changes in a live session, ids only")),
    Declaration(
        key="live_participant",
        model="workshops.LiveParticipant",
        fields=("user", "invitation", "display_name"),
        context=("session", "joined_at", "removed_at"),
        category=_("Display names in live sessions"),
        purpose=_("Taking part in a live session under a chosen name"),
        legal_basis=PUBLIC_TASK,
        visible_to=LIVE_VISIBLE,
        retention="live_names",
        subject=("user", "invitation"),
    ),
    _live(
        "live_card",
        "workshops.Card",
        ("participant", "text", "category"),
        context=("activity", "hidden", "created_at"),
        purpose=_("Collecting ideas on a board"),
    ),
    _live(
        "live_dot_vote",
        "workshops.DotVote",
        ("participant", "option", "count"),
        context=("activity",),
        purpose=_("Weighting options by dots"),
    ),
    _live(
        "live_poll_answer",
        "workshops.PollAnswer",
        ("participant", "option"),
        context=("activity",),
        purpose=_("Answering a quick poll"),
    ),
    _live(
        "live_question",
        "workshops.Question",
        ("participant", "text", "anonymous"),
        context=("activity", "answered", "created_at"),
        purpose=_("Asking the presenters a question"),
    ),
    _live(
        "live_question_vote",
        "workshops.QuestionVote",
        ("participant", "question"),
        context=(),
        purpose=_("Supporting another participant's question"),
    ),
    _live(
        "live_mood",
        "workshops.MoodEntry",
        ("participant", "value", "word"),
        context=("activity",),
        purpose=_("Telling the mood in one word"),
    ),
]
