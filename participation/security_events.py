"""Reading the security log: the filters the coordinators' page and the API share, and the
table its exports are made from."""

import io
import ipaddress

import django_filters
from django import forms
from django.db.models import Q
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import security_log, spreadsheets
from .downloads import private_download, streamed
from .models import SecurityEvent, SecurityEventKind

FORMATS = ("csv", "xlsx")


def security_events():
    return SecurityEvent.objects.select_related("user", "actor")


class SecurityEventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=SecurityEventKind.choices, empty_label=_("All kinds")
    )
    account = django_filters.CharFilter(
        label=_("Account (e-mail address)"),
        method="filter_account",
        help_text=_("Part of the e-mail address of the account concerned or of who did it."),
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Until"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    address = django_filters.CharFilter(
        label=_("Network address"),
        method="filter_address",
        help_text=_("A full address, or its beginning (such as 192.0.2.)."),
    )

    class Meta:
        model = SecurityEvent
        fields = ["kind", "account", "since", "until", "address"]

    def filter_account(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(user__email__icontains=value) | Q(actor__email__icontains=value))

    def filter_address(self, queryset, name, value):
        value = value.strip()
        try:
            return queryset.filter(address=str(ipaddress.ip_address(value)))
        except ValueError:
            return queryset.filter(address__startswith=value)


def export_rows(events):
    """The header and one row per event, for `spreadsheets`."""
    yield [
        str(_("Time")),
        str(_("Kind")),
        str(_("Account")),
        str(_("Done by")),
        str(_("Network address")),
        str(_("Address on the platform")),
        str(_("Detail")),
    ]
    for event in events.iterator(chunk_size=500):
        yield [
            event.at,
            event.get_kind_display(),
            event.user.email if event.user else "",
            event.actor.email if event.actor else "",
            event.address or "",
            event.path,
            detail_text(event),
        ]


def detail_text(event) -> str:
    return "; ".join(f"{key}: {value}" for key, value in sorted(event.detail.items()))


def download(request, events, *, file_format, filters):
    """The filtered log as CSV or XLSX, for the page and the API alike; the export itself
    goes into the log, with the filters it was made with."""
    security_log.record(
        security_log.Kind.EXPORTED,
        request=request,
        export="security_log",
        format=file_format,
        rows=events.count(),
        **{f"filter_{key}": value for key, value in filters.items() if value},
    )
    name = f"security-log-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "csv":
        chunks = spreadsheets.csv_chunks(export_rows(events))
        response = StreamingHttpResponse(
            streamed(request, chunks), content_type=spreadsheets.CSV_CONTENT_TYPE
        )
        return private_download(response, name)
    file = io.BytesIO()
    spreadsheets.write_xlsx(export_rows(events), file, sheet_title=str(_("Security log")))
    response = HttpResponse(file.getvalue(), content_type=spreadsheets.XLSX_CONTENT_TYPE)
    return private_download(response, name)
