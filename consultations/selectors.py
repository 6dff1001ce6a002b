"""Who may see which consultation and statement. A consultation reaches an organisation only
once it is open and only if the organisation is consulted; a member reaches only their own
organisations' statements (those of others stay invisible until the result is published);
coordinators reach all. Anything else answers 404."""

from dataclasses import dataclass

from django.db.models import Max, Min, Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from participation.selectors import get_or_404 as get_or_404
from participation.selectors import is_coordinator, own_organisation_ids

from .models import Consultation, Publication, SectionAnswer, Statement, WeighingPoint

VISIBLE_STATUSES = [Consultation.Status.OPEN, Consultation.Status.CLOSED]


def visible_consultations(user):
    if is_coordinator(user):
        return Consultation.objects.all()
    if not user.is_authenticated:
        return Consultation.objects.none()
    consulted = Consultation.organisations.through.objects.filter(
        organisation__in=own_organisation_ids(user)
    ).values("consultation_id")
    return Consultation.objects.filter(status__in=VISIBLE_STATUSES, pk__in=consulted)


def visible_statements(user):
    qs = Statement.objects.select_related("consultation", "organisation", "responsible")
    if is_coordinator(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(
        organisation__in=own_organisation_ids(user),
        consultation__in=visible_consultations(user),
    )


def get_consultation_for_user(user, pk, *, write=False):
    if write and not is_coordinator(user):
        raise Http404
    return get_or_404(visible_consultations(user), pk)


def get_statement_for_user(user, pk, *, write=False):
    """A statement the user may read; with write=True one they may draft (their own
    organisation's; coordinators read every statement but write none on others' behalf)."""
    queryset = visible_statements(user)
    if write:
        queryset = queryset.filter(organisation__in=own_organisation_ids(user))
    return get_or_404(queryset, pk)


def answerable_organisations(user, consultation):
    """The user's own organisations that the consultation asks for a statement."""
    return consultation.organisations.filter(pk__in=own_organisation_ids(user)).order_by("name")


def answers_by_section(statement):
    return {
        answer.question_id: answer
        for answer in statement.answers.select_related("updated_by__person")
    }


def with_answers(statements):
    return statements.prefetch_related(
        Prefetch(
            "answers", queryset=SectionAnswer.objects.only("response_id", "question_id", "value")
        )
    )


class Progress:
    """Where an organisation's statement stands."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    RELEASED = "released"
    NO_STATEMENT = "no_statement"
    # Filters of the progress list: not answered yet, and answered (either way).
    MISSING = "missing"
    ANSWERED = "answered"

    GROUPS = {
        MISSING: {NOT_STARTED, IN_PROGRESS},
        ANSWERED: {RELEASED, NO_STATEMENT},
    }


def progress_state(statement) -> str:
    if statement is None:
        return Progress.NOT_STARTED
    if statement.no_statement:
        return Progress.NO_STATEMENT
    if statement.status == Statement.Status.SUBMITTED:
        return Progress.RELEASED
    if statement.last_activity_at is None:
        return Progress.NOT_STARTED
    return Progress.IN_PROGRESS


PROGRESS_LABELS = {
    Progress.NOT_STARTED: _("not started"),
    Progress.IN_PROGRESS: _("in progress"),
    Progress.RELEASED: _("released"),
    Progress.NO_STATEMENT: _("no statement"),
}
PROGRESS_FILTERS = {
    **PROGRESS_LABELS,
    Progress.MISSING: _("not answered yet"),
    Progress.ANSWERED: _("answered (released or no statement)"),
}


def matches(state, wanted) -> bool:
    """Whether a progress state is what the filter `wanted` (a state or a group) shows."""
    return not wanted or state == wanted or state in Progress.GROUPS.get(wanted, ())


@dataclass
class OrganisationProgress:
    organisation: object
    statement: object
    state: str
    last_reminded: object = None
    requested: object = None

    @property
    def label(self):
        return PROGRESS_LABELS[self.state]


def progress(consultation) -> list[OrganisationProgress]:
    """Every consulted organisation with its statement's state, when it was asked and when
    it was last reminded: four queries whatever the number of organisations."""
    statements = {
        s.organisation_id: s for s in consultation.statements.select_related("responsible")
    }
    reminded = dict(
        consultation.reminders.values("organisation_id")
        .annotate(last=Max("sent_on"))
        .values_list("organisation_id", "last")
    )
    requested = dict(
        consultation.requests.values("organisation_id")
        .annotate(first=Min("sent_at"))
        .values_list("organisation_id", "first")
    )
    rows = []
    for organisation in consultation.organisations.order_by("name"):
        statement = statements.get(organisation.pk)
        rows.append(
            OrganisationProgress(
                organisation,
                statement,
                progress_state(statement),
                reminded.get(organisation.pk),
                requested.get(organisation.pk),
            )
        )
    return rows


# --- the weighing table and the published result -----------------------------------------------


def get_weighing_consultation(user, pk):
    """A consultation whose weighing table the user may work on: coordinators only."""
    return get_consultation_for_user(user, pk, write=True)


def get_point_for_user(user, pk):
    """A point of the weighing table; anyone but a coordinator gets 404."""
    if not is_coordinator(user):
        raise Http404
    return get_or_404(WeighingPoint.objects.select_related("answer__response__consultation"), pk)


def get_answer_for_user(user, pk):
    if not is_coordinator(user):
        raise Http404
    return get_or_404(SectionAnswer.objects.select_related("response__consultation"), pk)


def get_weighing_answer(consultation, pk):
    """A released answer of the weighing table of `consultation` (one the coordinator may
    split into points); 404 for any other."""
    answers = SectionAnswer.objects.filter(
        response__consultation=consultation,
        response__status=Statement.Status.SUBMITTED,
        response__no_statement=False,
    )
    return get_or_404(answers.select_related("response__organisation", "question"), pk)


def get_publication_for_user(user, consultation, version=None):
    """The published result (the latest, or `version`) of a consultation the user sees;
    404 if there is none."""
    publications = consultation.publications.all()
    if version is not None:
        publications = publications.filter(version=version)
    publication = publications.order_by("-version").first()
    if publication is None:
        raise Http404
    return publication


def result_organisation_ids(user, consultation):
    """Whose statements of a published result the user reads: a coordinator everyone's, a
    member only their own organisations'."""
    if is_coordinator(user):
        return list(consultation.organisations.values_list("pk", flat=True))
    return list(
        consultation.organisations.filter(pk__in=own_organisation_ids(user)).values_list(
            "pk", flat=True
        )
    )


def get_public_publication(pk, version=None):
    """A published result whose coordinator chose a public, anonymised table."""
    queryset = Publication.objects.select_related("consultation").exclude(public_table="")
    queryset = queryset.filter(consultation_id=pk)
    if version is not None:
        queryset = queryset.filter(version=version)
    publication = queryset.order_by("-version").first()
    if publication is None:
        raise Http404
    return publication
