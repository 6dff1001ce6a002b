from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    BarrierReport,
    Body,
    BodyMembership,
    BodyRole,
    LegalPage,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Reply,
)
from .uploads import check_upload

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# A registry of several thousand people is well below this.
PEOPLE_IMPORT_MAX_BYTES = 5 * 1024 * 1024


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "ags",
            "email",
            "website",
            "address",
            "notes",
            "is_active",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "ags": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }


class LegalPageForm(forms.ModelForm):
    """The two texts of a legal page. The model's rules (German text required, length)
    apply; `full_clean` runs them again in the service."""

    class Meta:
        model = LegalPage
        fields = ["body_de", "body_en"]


class BarrierReportForm(forms.ModelForm):
    """What a visitor tells about a barrier. The model's rules (a description, an address on
    this site) apply; `full_clean` runs them again in the service."""

    class Meta:
        model = BarrierReport
        fields = ["page", "description", "name", "email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["title", "first_name", "last_name", "email", "phone", "language", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["person", "organisation", "function", "is_contact", "valid_from", "valid_until"]
        widgets = {"valid_from": DATE_WIDGET, "valid_until": DATE_WIDGET}


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["name", "short_name", "kind", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class BodyMembershipForm(forms.ModelForm):
    """A seat in one given body; deputies can only stand in for this body's principals."""

    class Meta:
        model = BodyMembership
        fields = ["person", "role", "represents", "deputy_of", "valid_from", "valid_until"]
        widgets = {"valid_from": DATE_WIDGET, "valid_until": DATE_WIDGET}

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        principals = body.memberships.exclude(role=BodyRole.DEPUTY).select_related("person")
        if self.instance.pk:
            principals = principals.exclude(pk=self.instance.pk)
        self.fields["deputy_of"].queryset = principals
        self.fields["deputy_of"].help_text = _("Only for deputies: the member they stand in for.")
        self.fields["represents"].queryset = Organisation.objects.filter(is_active=True)


class EndTermForm(forms.Form):
    valid_until = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"valid_until": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: first_name, last_name, email, organisation, function (German headers "
            "Vorname, Nachname, E-Mail, Organisation, Funktion work too). Comma or semicolon "
            "separated, UTF-8 or Windows-1252 (Excel)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_upload(uploaded, allowed=("csv",), max_bytes=PEOPLE_IMPORT_MAX_BYTES)
        return uploaded


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *OrganisationKind.choices]
    )


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class BodyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Body._meta.get_field("kind").choices],
    )


class InvitationReplyForm(forms.Form):
    """The invitee's answer. It names no invitation: the page acts on the one in the session."""

    reply = forms.ChoiceField(
        label=_("Will you attend?"),
        choices=[
            (Reply.ACCEPTED, _("Yes, I will attend.")),
            (Reply.TENTATIVE, _("Perhaps: I will confirm later.")),
            (Reply.DECLINED, _("No, I cannot attend.")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose whether you will attend.")},
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example step-free access, sign language interpreting, a hearing loop or "
            "documents in large print."
        ),
    )
    dietary_wishes = forms.CharField(
        label=_("Dietary wishes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example vegetarian, vegan, or allergies."),
    )


class DeputyForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Deputy"),
        queryset=Person.objects.none(),
        empty_label=_("Please choose"),
        error_messages={"required": _("Please choose who will come in your place.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = candidates
        # The seat's registered deputy comes first, named as such, and is preselected.
        field.label_from_instance = _deputy_label
        registered = [p for p in candidates if getattr(p, "is_registered", False)]
        if registered and not self.is_bound:
            self.initial.setdefault("person", registered[0].pk)


def _deputy_label(person):
    if getattr(person, "is_registered", False):
        return _("%(name)s (registered deputy)") % {"name": person}
    return str(person)


class RecordReplyForm(forms.Form):
    """A coordinator records an invitee's reply for them (they phoned): one of the answers,
    or a deputy who comes instead."""

    DEPUTY = "deputy"

    reply = forms.ChoiceField(
        label=_("Reply"),
        choices=[
            (Reply.ACCEPTED, _("Attends")),
            (Reply.TENTATIVE, _("Perhaps (confirms later)")),
            (Reply.DECLINED, _("Cannot attend")),
            (DEPUTY, _("Sends a deputy")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the reply.")},
    )
    deputy = forms.ModelChoiceField(
        label=_("Deputy"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Please choose"),
        help_text=_(
            "Only if a deputy comes: the seat's registered deputy or a member of the "
            "invitee's organisation."
        ),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["deputy"]
        field.queryset = candidates
        field.label_from_instance = _deputy_label

    def clean(self):
        data = super().clean()
        if data.get("reply") == self.DEPUTY and not data.get("deputy"):
            self.add_error("deputy", _("Please choose who comes instead."))
        return data


class ErasureRequestForm(forms.Form):
    """A signed-in person asks for erasure; their password confirms it is them."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class DismissErasureRequestForm(forms.Form):
    """A coordinator declines an erasure request; the reason goes to the requester."""

    reason = forms.CharField(
        label=_("Reason for declining"),
        help_text=_(
            "Sent to the requester by e-mail, with their right to complain to the supervisory "
            "authority. For example: a seat in a body must be handed over first, a legal duty "
            "to keep the data, or the request did not come from the person."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for declining the request.")},
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as the script or system that uses it."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("Optional. From this day on the token no longer works."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
