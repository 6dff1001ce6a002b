"""The workshops' lines on the home page (see `participation.home` for the contract).

Coordinators: the published workshops of the coming weeks with their replies (accepted,
tentative, declined, none yet) and the organisations whose reply is missing; each number
links to the workshop's invitations filtered the same way. Members see their invitations
waiting for a reply through the base (the event pipeline knows every kind of event), so the
workshops add nothing for them."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from participation.home import HomeCount, HomeItem, HomeSection, Severity
from participation.models import EventStatus, Invitation, Reply

from .models import Workshop

COMING_WEEKS = 6


def for_coordinator(user, *, today):
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    until = start + datetime.timedelta(weeks=COMING_WEEKS)
    workshops = list(
        Workshop.objects.filter(status=EventStatus.PUBLISHED, start__gte=start, start__lt=until)
        .annotate(
            accepted=Count("invitations", filter=Q(invitations__reply=Reply.ACCEPTED)),
            tentative=Count("invitations", filter=Q(invitations__reply=Reply.TENTATIVE)),
            declined=Count("invitations", filter=Q(invitations__reply=Reply.DECLINED)),
            missing=Count(
                "invitations",
                filter=Q(invitations__reply=Reply.NONE, invitations__informed=False),
            ),
            invited=Count("invitations"),
        )
        .order_by("start", "pk")
    )
    missing_by_workshop = {}
    for workshop_id, organisation in (
        Invitation.objects.filter(
            event_type=ContentType.objects.get_for_model(Workshop),
            event_id__in=[workshop.pk for workshop in workshops],
            reply=Reply.NONE,
            informed=False,
            organisation__isnull=False,
        )
        .values_list("event_id", "organisation__name")
        .distinct()
        .order_by("event_id", "organisation__name")
    ):
        missing_by_workshop.setdefault(workshop_id, []).append(organisation)

    items = []
    for workshop in workshops:
        invitations = reverse("workshops:invitations", args=[workshop.pk])
        when = formats.date_format(timezone.localtime(workshop.start), "SHORT_DATETIME_FORMAT")
        items.append(
            HomeItem(
                title=workshop.title,
                url=workshop.get_absolute_url(),
                detail=_("%(when)s; %(invited)s invited.")
                % {"when": when, "invited": workshop.invited},
                date=workshop.start,
                deadline=timezone.localdate(workshop.reply_deadline),
                state="missing_replies" if workshop.missing else "replied",
                severity=Severity.WARNING if workshop.missing else Severity.INFO,
                counts=[
                    HomeCount(
                        _("accepted"),
                        workshop.accepted,
                        f"{invitations}?reply={Reply.ACCEPTED}",
                        Severity.SUCCESS,
                    ),
                    HomeCount(
                        _("tentative"), workshop.tentative, f"{invitations}?reply={Reply.TENTATIVE}"
                    ),
                    HomeCount(
                        _("declined"), workshop.declined, f"{invitations}?reply={Reply.DECLINED}"
                    ),
                    HomeCount(
                        _("no reply yet"),
                        workshop.missing,
                        f"{invitations}?reply=none",
                        Severity.WARNING if workshop.missing else Severity.SUCCESS,
                    ),
                ],
                names=missing_by_workshop.get(workshop.pk, []),
            )
        )
    return [
        HomeSection(
            key="workshops",
            heading=_("Workshops in the coming weeks"),
            order=20,
            items=items,
            empty_text=_("No workshop in the coming weeks."),
        )
    ]
