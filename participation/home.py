"""What the home page shows each user: the contract every app fills, and the base's own lines.

Any installed app may have a module `<app>/home.py` with two functions

    for_coordinator(user, *, today) -> list[HomeSection]
    for_member(user, *, today) -> list[HomeSection]

(either may be missing). The overview app finds these modules through the app registry and
puts their sections on the home page at "/" and into `/api/v1/home/`, ordered by `order`;
so a later app adds its lines without touching the overview, and no app imports it.

Rules for a provider: read through the app's own selectors (a member sees only what they may
see), take a fixed number of queries whatever the number of records (aggregate in the
database, or fetch survey-wide and count in memory), and give every number the address of
the list that shows exactly those records, so following it shows the same count. Texts are
translated when the provider runs (the page's language is active then).

The base contributes the registry counts and failed mail for coordinators, and, through the
event pipeline (`events.selectors.waiting_invitations`), the invitations of any kind of event
waiting for the user's reply."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .events.selectors import waiting_invitations
from .models import Body, ErasureRequest, Organisation, OutboundMail, Person
from .selectors import retention_runs


class Severity:
    """How urgent an item is; the page and the API show it as a badge."""

    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    DANGER = "danger"


@dataclass
class HomeCount:
    """A number and the list that shows exactly the records counted."""

    label: str
    number: int
    url: str
    severity: str = Severity.INFO


@dataclass
class HomeItem:
    """One thing that is waiting: a survey, a workshop, an invitation."""

    title: str
    url: str
    detail: str = ""
    deadline: datetime.date | None = None
    date: datetime.datetime | None = None
    state: str = ""
    severity: str = Severity.INFO
    counts: list[HomeCount] = field(default_factory=list)
    # Names attached to the item, e.g. the organisations whose reply is missing.
    names: list[str] = field(default_factory=list)


@dataclass
class HomeSection:
    """A heading and its items (and counts that concern the whole section)."""

    key: str
    heading: str
    order: int
    items: list[HomeItem] = field(default_factory=list)
    counts: list[HomeCount] = field(default_factory=list)
    empty_text: str = ""


def for_coordinator(user, *, today):
    failed = OutboundMail.objects.filter(status=OutboundMail.Status.FAILED).count()
    mail = HomeSection(
        key="mail",
        heading=_("E-mail"),
        order=80,
        counts=[
            HomeCount(
                _("failed e-mails"),
                failed,
                reverse("participation:mail_list") + "?state=failed",
                Severity.DANGER if failed else Severity.SUCCESS,
            )
        ],
    )
    registry = HomeSection(
        key="registry",
        heading=_("Registry"),
        order=90,
        counts=[
            HomeCount(
                _("organisations"),
                Organisation.objects.count(),
                reverse("participation:organisation_list"),
            ),
            HomeCount(_("people"), Person.objects.count(), reverse("participation:person_list")),
            HomeCount(_("bodies"), Body.objects.count(), reverse("participation:body_list")),
        ],
    )
    failed_runs = retention_runs(state="failed").count()
    privacy = HomeSection(
        key="privacy",
        heading=_("Data protection"),
        order=95,
        counts=[
            HomeCount(
                _("retention runs with an error"),
                failed_runs,
                reverse("participation:retention") + "?state=failed",
                Severity.DANGER if failed_runs else Severity.SUCCESS,
            )
        ],
    )
    waiting = ErasureRequest.objects.open().count()
    if waiting:
        privacy.counts.append(
            HomeCount(
                _("erasure requests waiting"),
                waiting,
                reverse("participation:erasure_request_list") + "?state=open",
                Severity.WARNING,
            )
        )
    return [mail, registry, privacy]


def for_member(user, *, today):
    """Invitations to any kind of event that wait for the user's reply."""
    items = [
        HomeItem(
            title=str(event),
            # The reply page takes the signed-in invitee's own invitation (no personal link
            # needed); the event page only tells them to use the link in their mail.
            url=reverse("participation:invitation_reply", args=[invitation.pk]),
            detail=" · ".join(
                part
                for part in (
                    formats.date_format(timezone.localtime(event.start), "SHORT_DATETIME_FORMAT"),
                    event.venue_name,
                )
                if part
            ),
            date=event.start,
            deadline=timezone.localdate(event.reply_deadline),
            state="waiting",
            severity=Severity.WARNING,
        )
        for invitation, event in waiting_invitations(user)
    ]
    return [
        HomeSection(
            key="invitations",
            heading=_("Invitations waiting for your reply"),
            order=20,
            items=items,
            empty_text=_("No invitation is waiting for your reply."),
        )
    ]
