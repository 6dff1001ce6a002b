"""The personal data surveys hold, for the records of processing and the download of one's
own data (the contract: `participation/privacy/inventory.py`). An organisation's answers are
the organisation's; who wrote, changed and submitted them is personal."""

from django.utils.translation import gettext_lazy as _

from participation.privacy.inventory import (
    PUBLIC_TASK,
    Declaration,
    NoPersonalData,
    authored,
)

QUESTION_TEXT = _("the questions the county asks; written for the county, about nobody")

DECLARATIONS = [
    NoPersonalData("surveys.Survey", _("a survey's title, description and dates")),
    NoPersonalData("surveys.SurveyVersion", _("the published versions of a survey")),
    NoPersonalData("surveys.Section", _("the sections of a survey")),
    NoPersonalData("surveys.Question", QUESTION_TEXT),
    authored(
        "survey_response_submitted",
        "surveys.Response",
        "submitted_by",
        context=("survey", "organisation", "status", "submitted_at"),
        purpose=_("Knowing who submitted an organisation's answers"),
    ),
    authored(
        "survey_answer",
        "surveys.Answer",
        "updated_by",
        fields=("value",),
        context=("response", "question", "updated_at"),
        purpose=_("The answers a person wrote for their organisation"),
    ),
    authored(
        "survey_answer_change",
        "surveys.AnswerChange",
        "changed_by",
        fields=("old_value", "new_value"),
        context=("answer", "changed_at"),
        purpose=_("The history of an answer: who changed it, and how"),
    ),
    Declaration(
        key="survey_reminder",
        model="surveys.SurveyReminder",
        fields=("person",),
        context=("survey", "organisation", "kind", "sent_on"),
        category=_("Reminders"),
        purpose=_("Reminding contact people of a survey's deadline, once a day at most"),
        legal_basis=PUBLIC_TASK,
        visible_to=_("coordinators"),
        retention="records",
        subject=("person",),
    ),
    authored(
        "survey_reminder_requested",
        "surveys.SurveyReminder",
        "requested_by",
        context=("survey", "organisation", "sent_on"),
        purpose=_("Knowing who sent a reminder"),
    ),
]
