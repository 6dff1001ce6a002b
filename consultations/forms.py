from django import forms
from django.utils.translation import gettext_lazy as _

from participation.models import Body, Membership, Organisation, OrganisationKind, Person

from .models import Consultation, ConsultationSection, Publication, RevisedSection
from .services import ATTACHMENT_MAX_MB, ATTACHMENT_TYPES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["title", "purpose", "deadline"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 6}), "deadline": DATE_WIDGET}


class SectionForm(forms.ModelForm):
    class Meta:
        model = ConsultationSection
        fields = ["number", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Empty: after the last section.")


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("As the organisations see it; empty for the file's name."),
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{t}" for t in ATTACHMENT_TYPES)}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(types)s; at most %(max)s MB.") % {
            "types": ", ".join(t.upper() for t in ATTACHMENT_TYPES),
            "max": ATTACHMENT_MAX_MB,
        }


class ConsultForm(forms.Form):
    """Organisations to add: by kind, by body (those represented there), one by one."""

    kinds = forms.MultipleChoiceField(
        label=_("Every active organisation of these kinds"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bodies = forms.ModelMultipleChoiceField(
        label=_("The organisations represented in these bodies"),
        queryset=Body.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("These single organisations"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ("kinds", "bodies", "organisations")):
            raise forms.ValidationError(_("Choose at least one kind, body or organisation."))
        return cleaned


class ResponsibleForm(forms.Form):
    responsible = forms.ModelChoiceField(
        label=_("Responsible member"),
        queryset=Person.objects.none(),
        help_text=_("Only this member can release the statement or declare that none is given."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.current().filter(
            organisation=organisation, person__user__isnull=False
        )
        self.fields["responsible"].queryset = Person.objects.filter(
            pk__in=members.values("person_id")
        ).order_by("last_name", "first_name")


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("Extend the deadline until"), widget=DATE_WIDGET)


class RevisedSectionForm(forms.ModelForm):
    class Meta:
        model = RevisedSection
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}


class PublishForm(forms.Form):
    public_table = forms.ChoiceField(
        label=_("Weighing table for the public"),
        choices=Publication.PublicTable.choices,
        required=False,
        help_text=_("Each organisation always receives its own statement and the responses to it."),
    )
