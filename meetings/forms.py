from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participation.models import Body

from . import selectors
from .models import Decision, DecisionRegister, MeetingSeries, Task, TaskStatus
from .rescheduling import Scope

CADENCE_ADVANCED = ""
CADENCE_CHOICES = [
    (CADENCE_ADVANCED, _("Advanced: write the recurrence rule below")),
    ("weekly", _("Weekly on a weekday")),
    ("monthly", _("Monthly on the n-th weekday")),
    ("quarterly", _("Quarterly on the n-th weekday of the first month")),
    ("yearly", _("Yearly on the n-th weekday of a month")),
]
WEEKDAY_CHOICES = [
    ("", "—"),
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
ORDINAL_CHOICES = [
    ("", "—"),
    ("1", _("first")),
    ("2", _("second")),
    ("3", _("third")),
    ("4", _("fourth")),
    ("-1", _("last")),
]
MONTH_CHOICES = [
    ("", "—"),
    ("1", _("January")),
    ("2", _("February")),
    ("3", _("March")),
    ("4", _("April")),
    ("5", _("May")),
    ("6", _("June")),
    ("7", _("July")),
    ("8", _("August")),
    ("9", _("September")),
    ("10", _("October")),
    ("11", _("November")),
    ("12", _("December")),
]


def cadence_rule(cadence, *, weekday, ordinal, month):
    """The RRULE of a preset cadence (weekday "TU", ordinal "2", month "1")."""
    if cadence == "weekly":
        return f"FREQ=WEEKLY;BYDAY={weekday}"
    if cadence == "monthly":
        return f"FREQ=MONTHLY;BYDAY={ordinal}{weekday}"
    first = int(month)
    if cadence == "quarterly":
        months = sorted((first - 1 + step) % 12 + 1 for step in (0, 3, 6, 9))
        return f"FREQ=YEARLY;BYMONTH={','.join(map(str, months))};BYDAY={ordinal}{weekday}"
    return f"FREQ=YEARLY;BYMONTH={first};BYDAY={ordinal}{weekday}"


class SeriesForm(forms.ModelForm):
    cadence = forms.ChoiceField(
        label=_("Cadence"),
        choices=CADENCE_CHOICES,
        required=False,
        help_text=_(
            "Choose a common cadence and fill in the fields below it, or keep “Advanced” and "
            "write the recurrence rule yourself."
        ),
    )
    cadence_ordinal = forms.ChoiceField(
        label=_("Which weekday of the month"),
        choices=ORDINAL_CHOICES,
        required=False,
        help_text=_("For monthly, quarterly and yearly cadences."),
    )
    cadence_weekday = forms.ChoiceField(label=_("Weekday"), choices=WEEKDAY_CHOICES, required=False)
    cadence_month = forms.ChoiceField(
        label=_("Month"),
        choices=MONTH_CHOICES,
        required=False,
        help_text=_("For yearly cadences; for quarterly ones the first month of the quarter."),
    )
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
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH. Only used when the cadence is “Advanced”."
        )
        self.fields["rule"].required = False
        self.fields["rule"].label = _("Recurrence rule (advanced)")
        if self.instance.pk:
            register = DecisionRegister.objects.filter(body=self.instance.body_id).first()
            if register:
                self.fields["decision_code"].initial = register.code
        else:
            # A new series starts on the commonest cadence of a standing body: quarterly,
            # the second Tuesday of January, April, July and October.
            self.fields["cadence"].initial = "quarterly"
            self.fields["cadence_ordinal"].initial = "2"
            self.fields["cadence_weekday"].initial = "TU"
            self.fields["cadence_month"].initial = "1"

    field_order = [
        "body",
        "title",
        "cadence",
        "cadence_ordinal",
        "cadence_weekday",
        "cadence_month",
        "rule",
    ]

    def clean(self):
        data = super().clean()
        cadence = data.get("cadence") or CADENCE_ADVANCED
        if cadence == CADENCE_ADVANCED:
            if not data.get("rule") and "rule" not in self.errors:
                self.add_error("rule", _("Choose a cadence or write a recurrence rule (advanced)."))
            return data
        needed = {"cadence_weekday": _("Choose the weekday for this cadence.")}
        if cadence != "weekly":
            needed["cadence_ordinal"] = _("Choose which weekday of the month.")
        if cadence in ("quarterly", "yearly"):
            needed["cadence_month"] = _("Choose the month for this cadence.")
        missing = {name: message for name, message in needed.items() if not data.get(name)}
        for name, message in missing.items():
            self.add_error(name, message)
        if not missing:
            data["rule"] = cadence_rule(
                cadence,
                weekday=data["cadence_weekday"],
                ordinal=data.get("cadence_ordinal"),
                month=data.get("cadence_month"),
            )
            self.errors.pop("rule", None)
        return data

    def clean_decision_code(self):
        return self.cleaned_data["decision_code"].strip().upper()


def _scope_field():
    return forms.ChoiceField(
        label=_("Which meetings"),
        choices=Scope.choices,
        initial=Scope.THIS,
        widget=forms.RadioSelect,
    )


class MoveForm(forms.Form):
    scope = _scope_field()
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


class CancelForm(forms.Form):
    scope = _scope_field()


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
