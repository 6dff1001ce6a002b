from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participation.models import Body

from . import selectors
from .models import Decision, DecisionRegister, MeetingSeries, Task, TaskStatus


class SeriesForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("For online or hybrid meetings."),
    )
    decision_code = forms.CharField(
        label=_("Code for decision numbers"),
        max_length=10,
        help_text=_("Decisions of the body are numbered CODE-YEAR-NUMBER, e.g. LG-2027-07."),
    )

    class Meta:
        model = MeetingSeries
        fields = [
            "body",
            "title",
            "rule",
            "first_date",
            "start_time",
            "duration",
            "venue_name",
            "venue_address",
            "online_url",
            "agenda_template",
            "is_active",
        ]
        widgets = {
            "first_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "venue_address": forms.Textarea(attrs={"rows": 2}),
            "agenda_template": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(is_active=True)
        self.fields["rule"].help_text = _(
            "As in a calendar file (RFC 5545). Second Tuesday of January, April, July and "
            "October: FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=2TU. Every other Thursday: "
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH."
        )
        if self.instance.pk:
            register = DecisionRegister.objects.filter(body=self.instance.body_id).first()
            if register:
                self.fields["decision_code"].initial = register.code

    def clean_decision_code(self):
        return self.cleaned_data["decision_code"].strip().upper()


class MoveForm(forms.Form):
    start = forms.DateTimeField(
        label=_("New start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Local time (Europe/Berlin)."),
    )
    end = forms.DateTimeField(
        label=_("New end"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            raise ValidationError({"end": _("The end must be after the start.")})
        return data


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["title", "text", "decided_on", "votes_for", "votes_against", "abstentions"]
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 5}),
        }


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "title",
            "description",
            "owner_person",
            "owner_organisation",
            "due_date",
            "status",
            "decision",
        ]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        body = meeting.series.body
        people, organisations = selectors.owner_choices(body)
        self.fields["owner_person"].queryset = people.order_by("last_name", "first_name")
        self.fields["owner_organisation"].queryset = organisations.order_by("name")
        self.fields["decision"].queryset = Decision.objects.filter(body=body)
        self.fields["owner_person"].help_text = _(
            "A person or an organisation of the body owns the task; choose one."
        )


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("undone", _("Not done")),
            ("overdue", _("Overdue")),
            ("all", _("All")),
            *TaskStatus.choices,
        ],
    )
    owner = forms.ChoiceField(
        label=_("Owner"),
        required=False,
        choices=[("", _("Everyone")), ("mine", _("Mine and my organisations’"))],
    )
