"""Who may see what. Every read of registry records for a user goes through these querysets,
so permissions hold in the web UI and the API alike; a record outside them answers 404.

- coordinators see everything;
- an organisation member sees the organisations they currently belong to, those
  organisations' people and memberships, and the bodies they currently sit in;
- a participant (an account without a current membership) sees their own person and the
  bodies they sit in.
"""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from .models import (
    ApiToken,
    Body,
    BodyMembership,
    LegalPage,
    LegalPageKind,
    Membership,
    Organisation,
    OutboundMail,
    Person,
    RetentionRun,
)


def is_coordinator(user):
    return bool(user and user.is_authenticated and user.acts_as_coordinator)


def own_person_id(user):
    if not (user and user.is_authenticated):
        return None
    return Person.objects.filter(user=user).values_list("pk", flat=True).first()


def own_organisation_ids(user):
    """The organisations the user currently belongs to (a subquery, not a list)."""
    return Membership.objects.current().filter(person__user=user).values("organisation_id")


def own_body_ids(user):
    return BodyMembership.objects.current().filter(person__user=user).values("body_id")


def preferred_language(email) -> str | None:
    """The language the person with this address (their account's or their own) prefers;
    None when nobody has it."""
    return (
        Person.objects.filter(Q(user__email__iexact=email) | Q(email__iexact=email))
        .order_by(F("user").asc(nulls_last=True))  # the account holder first
        .values_list("language", flat=True)
        .first()
    )


def visible_organisations(user):
    qs = Organisation.objects.all()
    if is_coordinator(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(pk__in=own_organisation_ids(user))


def visible_people(user):
    qs = Person.objects.all()
    if is_coordinator(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    colleagues = Membership.objects.current().filter(organisation__in=own_organisation_ids(user))
    return qs.filter(Q(user=user) | Q(pk__in=colleagues.values("person_id")))


def visible_memberships(user):
    qs = Membership.objects.select_related("person", "organisation")
    if is_coordinator(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(Q(person__user=user) | Q(organisation__in=own_organisation_ids(user)))


def visible_bodies(user):
    qs = Body.objects.all()
    if is_coordinator(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(pk__in=own_body_ids(user))


def visible_body_memberships(user):
    qs = BodyMembership.objects.select_related("body", "person", "represents", "deputy_of__person")
    if is_coordinator(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(body__in=own_body_ids(user))


class NotVisible(Http404):
    """A 404 for a record that exists but is not the caller's to see (another
    organisation's): answered like any 404, noted in the security log by the middleware
    and the API's exception handler."""

    def __init__(self, model, pk):
        super().__init__()
        self.model_name = model._meta.label_lower
        self.pk = pk


def get_or_404(queryset, pk):
    """The record with this pk from a (visibility-filtered) queryset; a malformed, unknown or
    invisible pk answers 404 alike, so nothing tells which it was."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        if exists_elsewhere(queryset.model, pk):
            raise NotVisible(queryset.model, pk) from None
        raise Http404 from None


def exists_elsewhere(model, pk) -> bool:
    """Whether a record with this pk exists at all (asked only after it was not found)."""
    try:
        return model._base_manager.filter(pk=pk).exists()
    except (ValueError, TypeError):
        return False


def _get_for_user(queryset, user, pk, *, write):
    if write and not is_coordinator(user):
        raise Http404
    return get_or_404(queryset, pk)


def get_organisation_for_user(user, pk, *, write=False):
    return _get_for_user(visible_organisations(user), user, pk, write=write)


def get_person_for_user(user, pk, *, write=False):
    return _get_for_user(visible_people(user), user, pk, write=write)


def get_api_token_for_user(user, pk, *, write=False):
    """An account's own API token; nobody else's, coordinators included."""
    return get_or_404(ApiToken.objects.filter(user=user), pk)


def own_api_tokens(user):
    """Usable and expired tokens first, newest first; revoked ones after them."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-pk"
    )


def get_membership_for_user(user, pk, *, write=False):
    return _get_for_user(visible_memberships(user), user, pk, write=write)


def get_body_for_user(user, pk, *, write=False):
    return _get_for_user(visible_bodies(user), user, pk, write=write)


def get_body_membership_for_user(user, pk, *, write=False):
    return _get_for_user(visible_body_memberships(user), user, pk, write=write)


# --- reads for pages -------------------------------------------------------------------------


def organisation_members(organisation, *, current_only=False):
    qs = organisation.memberships.select_related("person")
    return qs.current() if current_only else qs


def body_seats(body):
    """The body's memberships, principals first, each with its deputies prefetched."""
    return (
        body.memberships.select_related("person", "represents", "deputy_of__person")
        .prefetch_related(
            Prefetch("deputies", queryset=BodyMembership.objects.select_related("person"))
        )
        .order_by("role", "person__last_name", "-valid_from")
    )


def only_current_members(people, organisation):
    """Narrow a people queryset to those currently in the organisation (an instance or id)."""
    members = Membership.objects.current().filter(organisation=organisation)
    return people.filter(pk__in=members.values("person_id"))


def people_with_organisations(queryset):
    current = Membership.objects.current().select_related("organisation")
    return queryset.prefetch_related(
        Prefetch("memberships", queryset=current, to_attr="current_memberships")
    )


def audit_entries(*objects):
    """Audit entries of the given records, newest first, with their actors."""
    pks_by_model = {}
    for obj in objects:
        pks_by_model.setdefault(type(obj), []).append(str(obj.pk))
    condition = Q(pk__in=[])
    for model, pks in pks_by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        condition |= Q(content_type=content_type, object_pk__in=pks)
    return LogEntry.objects.filter(condition).select_related("actor").order_by("-timestamp")


# --- the mail outbox (coordinators only) -------------------------------------------------------


def outbound_mails(*, state="", q=""):
    """The outbox, newest first, optionally only one state and matching a recipient or
    subject. The page and the API filter alike, so their counts agree."""
    mails = OutboundMail.objects.defer("body_text", "body_html", "attachments").order_by(
        "-created_at", "-pk"
    )
    if state:
        mails = mails.filter(status=state)
    if q:
        mails = mails.filter(Q(to__icontains=q) | Q(subject__icontains=q))
    return mails


def outbound_mail_counts() -> dict:
    """How many mails are queued, sent and failed (one query)."""
    status = OutboundMail.Status
    return OutboundMail.objects.aggregate(
        total=Count("pk"),
        **{value: Count("pk", filter=Q(status=value)) for value in status.values},
    )


def legal_page(kind: str) -> LegalPage:
    """The imprint, privacy notice or accessibility statement; 404 for any other kind. A
    page nobody has written yet is an unsaved, empty one (its first save creates it)."""
    if kind not in LegalPageKind.values:
        raise Http404
    return LegalPage.objects.filter(kind=kind).first() or LegalPage(kind=kind)


def legal_pages() -> list[LegalPage]:
    """All three legal pages in a fixed order, written or not."""
    stored = {page.kind: page for page in LegalPage.objects.all()}
    return [stored.get(kind) or LegalPage(kind=kind) for kind in LegalPageKind.values]


def retention_runs(*, state=""):
    """The logged retention runs, newest first; `state` "failed" keeps those with an error.
    The page and the API filter alike."""
    runs = RetentionRun.objects.order_by("-started_at", "-pk")
    if state == "failed":
        runs = runs.exclude(errors={})
    return runs


def sessions_of(user, *, now=None):
    """The unexpired sessions signed in to `user`'s account. A session names its account
    only inside its signed data, so each unexpired one is read."""
    user_id = str(user.pk)
    keys = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now or timezone.now())
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    return Session.objects.filter(pk__in=keys)
