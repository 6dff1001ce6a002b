"""Forms of the agenda and the minutes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, AttendanceStatus, OutcomeKind


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "duration_minutes"]


class AgendaItemEditForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "duration_minutes", "position"]
        help_texts = {"position": _("Items are listed by this number, smallest first.")}


class ProposalForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "duration_minutes"]
        help_texts = {"title": _("The coordination office decides whether it goes on the agenda.")}


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("Markdown: **bold**, lists with “-”, links."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OutcomeKind.choices)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))


ATTENDANCE_CHOICES = [("", _("not recorded")), *AttendanceStatus.choices]
