"""The coordinators' view of the mail outbox: every e-mail by state (queued, sent, failed),
with the recipient, subject, the mail server's last error and the time, newest first. Failed
mails are sent again from the page of what they belong to (a workshop's invitations); one
written longer ago than the retention period of mail texts says that it no longer can be."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .. import selectors
from ..mail import resend_cutoff
from ..models import OutboundMail
from ..retention import PERIODS
from .common import PAGE_SIZE, require_coordinator


class MailFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All e-mails")), *OutboundMail.Status.choices],
    )
    q = forms.CharField(label=_("Recipient or subject"), required=False)


@login_required
@require_GET
def mail_list(request):
    require_coordinator(request.user)
    filters = MailFilterForm(request.GET)
    mails = selectors.outbound_mails(**(filters.cleaned_data if filters.is_valid() else {}))
    page = Paginator(mails, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/outbox/mail_list.html",
        {
            "filters": filters,
            "page": page,
            "counts": selectors.outbound_mail_counts(),
            "resend_cutoff": resend_cutoff(),
            "text_days": PERIODS["mail_bodies"].kept_days,
        },
    )
