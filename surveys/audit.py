"""Survey set-up and response status changes keep an audit trail; answers keep their own
history (AnswerChange) with old and new value."""

from auditlog.registry import auditlog

from participation.audit import untracked_fields

from .models import Response, Survey, SurveyVersion

for model in (Survey, SurveyVersion, Response):
    auditlog.register(model, exclude_fields=untracked_fields(model) + ["last_activity_at"])
