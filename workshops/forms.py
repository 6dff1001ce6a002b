"""Forms for workshops: they validate and never save related objects or send mail."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participation.events.audiences import check_address
from participation.models import Body, Organisation, OrganisationKind, Person, Reply
from participation.uploads import check_upload

from .models import AgendaItem, Workshop
from .services import DOCUMENT_MAX_BYTES, DOCUMENT_MAX_MB, DOCUMENT_TYPES

# Berlin time: Django reads and shows these in the current time zone (TIME_ZONE).
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# "Erika Muster <erika@example.org>" or a bare address.
NAMED_ADDRESS = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]*)>$")
MAX_ADDRESSES = 500


class WorkshopForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        assume_scheme="https",
        help_text=_("For online or hybrid events."),
    )

    class Meta:
        model = Workshop
        fields = [
            "title",
            "topic",
            "kind",
            "description",
            "start",
            "end",
            "venue_name",
            "venue_address",
            "online_url",
            "capacity",
            "registration_deadline",
        ]
        widgets = {
            "start": DATETIME_WIDGET,
            "end": DATETIME_WIDGET,
            "registration_deadline": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 8}),
            "venue_address": forms.Textarea(attrs={"rows": 3}),
            "capacity": forms.NumberInput(attrs={"min": 1}),
        }
        help_texts = {
            "start": _("Date and time in Berlin time."),
            "venue_name": _("A venue, an online link, or both for a hybrid workshop."),
        }


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["starts_at", "title", "presenter"]
        widgets = {"starts_at": TIME_WIDGET}

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workshop = workshop


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("As invitees see it; empty for the file's name."),
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{t}" for t in DOCUMENT_TYPES) + ",.jpeg"}
        ),
    )
    for_documentation = forms.BooleanField(
        label=_("Part of the documentation"),
        required=False,
        help_text=_("Shown on the documentation page once it is shared, not before."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(max)s MB.") % {
            "types": ", ".join(t.upper() for t in DOCUMENT_TYPES),
            "max": DOCUMENT_MAX_MB,
        }

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_upload(uploaded, allowed=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES)
        return uploaded


class DocumentationForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["results", "minutes"]
        widgets = {
            "results": forms.Textarea(attrs={"rows": 10}),
            "minutes": forms.Textarea(attrs={"rows": 14}),
        }


# --- audience --------------------------------------------------------------------------------


class BodyEntryForm(forms.Form):
    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.filter(is_active=True).order_by("name"),
        help_text=_("Everyone holding a seat in the body on the day of sending."),
    )


class OrganisationKindEntryForm(forms.Form):
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", "---------"), *OrganisationKind.choices],
        help_text=_("The contact people of every active organisation of this kind."),
    )


class OrganisationEntryForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        help_text=_("The organisation's contact people."),
    )


class PersonEntryForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.order_by("last_name", "first_name")
    )


class ExternalAddressesForm(forms.Form):
    """External addresses, one per line, optionally with a name. Every invalid address is
    named; the form is valid only when all are."""

    addresses = forms.CharField(
        label=_("External e-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, optionally with a name: Erika Muster <erika@example.org>"),
    )

    def clean_addresses(self):
        lines = [line.strip() for line in self.cleaned_data["addresses"].splitlines()]
        parsed, problems = [], []
        for line in filter(None, lines):
            match = NAMED_ADDRESS.match(line)
            name, email = (match["name"], match["email"]) if match else ("", line)
            email = email.strip().lower()
            try:
                check_address(email)
            except ValidationError as error:
                problems.extend(error.messages)
                continue
            parsed.append((email, name.strip().strip('"')))
        if problems:
            raise ValidationError(problems)
        if not parsed:
            raise ValidationError(_("Enter at least one address."))
        if len(parsed) > MAX_ADDRESSES:
            raise ValidationError(
                _("Enter at most %(max)s addresses at once."), params={"max": MAX_ADDRESSES}
            )
        return parsed


AUDIENCE_FORMS = {
    "body": BodyEntryForm,
    "organisation_kind": OrganisationKindEntryForm,
    "organisation": OrganisationEntryForm,
    "person": PersonEntryForm,
    "email": ExternalAddressesForm,
}


class SendForm(forms.Form):
    expected = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


# --- invitations -----------------------------------------------------------------------------


class InvitationFilterForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All invitations")),
            (Reply.ACCEPTED, _("Accepted")),
            (Reply.TENTATIVE, _("Tentative")),
            (Reply.DECLINED, _("Declined")),
            ("none", _("No reply yet")),
            ("waitlisted", _("On the waitlist")),
            ("failed", _("Delivery failed")),
        ],
        widget=forms.Select(attrs={"class": "kern-form-input__select"}),
    )


class WorkshopFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Workshop._meta.get_field("status").choices],
    )
