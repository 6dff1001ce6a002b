"""The surveys' lines on the home page (see `participation.home` for the contract).

Coordinators: every published survey with its deadline and how many organisations have
submitted, are open and overdue, each number linking to the progress page filtered to exactly
those organisations. Members: the surveys their organisations still have to answer, with the
deadline and how many required questions are answered, linking to the response."""

import datetime

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from participation.home import HomeCount, HomeItem, HomeSection, Severity
from participation.selectors import own_organisation_ids

from .answer_types import is_answered, visible_in_order
from .models import Answer, Question, Response, Survey, SurveyVersion
from .progress import OPEN, OVERDUE, SUBMITTED, audience_counts

# A deadline this close makes an item stand out.
SOON = datetime.timedelta(days=7)


def _severity(deadline, *, today, overdue):
    if overdue:
        return Severity.DANGER
    if deadline is not None and deadline - today <= SOON:
        return Severity.WARNING
    return Severity.INFO


def for_coordinator(user, *, today):
    surveys = list(
        Survey.objects.filter(status=Survey.Status.PUBLISHED).order_by("deadline", "title", "pk")
    )
    counts = audience_counts(surveys, today=today)
    items = []
    for survey in surveys:
        numbers = counts.get(survey.pk, {"asked": 0, "submitted": 0, "open": 0, "overdue": 0})
        progress = reverse("surveys:progress", args=[survey.pk])
        items.append(
            HomeItem(
                title=survey.title,
                url=survey.get_absolute_url(),
                detail=_("%(submitted)s of %(asked)s organisations have submitted.") % numbers,
                deadline=survey.deadline,
                state="overdue" if numbers["overdue"] else "open",
                severity=_severity(survey.deadline, today=today, overdue=numbers["overdue"]),
                counts=[
                    HomeCount(
                        _("submitted"),
                        numbers["submitted"],
                        f"{progress}?state={SUBMITTED}",
                        Severity.SUCCESS,
                    ),
                    HomeCount(_("not submitted"), numbers["open"], f"{progress}?state={OPEN}"),
                    HomeCount(
                        _("overdue"),
                        numbers["overdue"],
                        f"{progress}?state={OVERDUE}",
                        Severity.DANGER if numbers["overdue"] else Severity.SUCCESS,
                    ),
                ],
            )
        )
    return [
        HomeSection(
            key="surveys",
            heading=_("Open surveys"),
            order=10,
            items=items,
            empty_text=_("No survey is open."),
        )
    ]


def for_member(user, *, today):
    """The surveys the user's organisations still have to answer: published, open already,
    not submitted. A fixed number of queries for any number of surveys and organisations."""
    pairs = list(
        Survey.audience.through.objects.filter(
            organisation__in=own_organisation_ids(user),
            survey__status=Survey.Status.PUBLISHED,
        )
        .exclude(survey__opens_on__gt=today)
        .select_related("survey", "organisation")
        .order_by("survey__deadline", "survey__title", "organisation__name")
    )
    survey_ids = {pair.survey_id for pair in pairs}
    responses = {
        (response.survey_id, response.organisation_id): response
        for response in Response.objects.filter(
            survey__in=survey_ids, organisation__in={pair.organisation_id for pair in pairs}
        )
    }
    current = {}
    for version in SurveyVersion.objects.filter(
        survey__in=survey_ids, published_at__isnull=False
    ).order_by("survey", "-number"):
        current.setdefault(version.survey_id, version.pk)
    todo = []
    for pair in pairs:
        response = responses.get((pair.survey_id, pair.organisation_id))
        if response is not None and response.status == Response.Status.SUBMITTED:
            continue
        version = response.version_id if response else current.get(pair.survey_id)
        if version is not None:
            todo.append((pair, response, version))
    questions = {}
    for question in (
        Question.objects.filter(section__version__in={version for _pair, _resp, version in todo})
        .annotate(version_pk=F("section__version_id"))
        .order_by("section__position", "position", "pk")
    ):
        questions.setdefault(question.version_pk, []).append(question)
    answers = {}
    for response_id, key, value in Answer.objects.filter(
        response__in=[response for _pair, response, _version in todo if response]
    ).values_list("response_id", "question__key", "value"):
        answers.setdefault(response_id, {})[key] = value

    items = []
    for pair, response, version in todo:
        given = answers.get(response.pk, {}) if response else {}
        required = [
            question
            for question in visible_in_order(questions.get(version, []), given)
            if question.required
        ]
        answered = sum(1 for question in required if is_answered(question, given.get(question.key)))
        deadline = (response and response.deadline_extended_to) or pair.survey.deadline
        overdue = deadline is not None and today > deadline
        items.append(
            HomeItem(
                title=pair.survey.title,
                url=response.get_absolute_url() if response else pair.survey.get_absolute_url(),
                detail=_("%(organisation)s: %(answered)s of %(total)s required questions answered.")
                % {
                    "organisation": pair.organisation,
                    "answered": answered,
                    "total": len(required),
                },
                deadline=deadline,
                state="overdue" if overdue else ("in_progress" if response else "not_started"),
                severity=_severity(deadline, today=today, overdue=overdue),
            )
        )
    return [
        HomeSection(
            key="surveys",
            heading=_("Surveys to answer"),
            order=10,
            items=items,
            empty_text=_("Your organisation has no survey to answer."),
        )
    ]
