"""Forms of the date polls: proposing slots (one per line) and answering them."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participation.models import EventStatus, Person

from . import polls
from .models import DatePoll, Meeting, MeetingSeries, PollAnswer, PollVote

ANSWER_BY_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

SLOT_LINE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s+(?P<start>\d{1,2}:\d{2})\s*[-–]\s*(?P<end>\d{1,2}:\d{2}))?$"
)


def _date(text):
    if "." in text:
        day, month, year = (int(part) for part in text.split("."))
        return datetime.date(year, month, day)
    return datetime.date.fromisoformat(text)


def _time(text):
    hour, minute = (int(part) for part in text.split(":"))
    return datetime.time(hour, minute)


def parse_slots(text):
    """One slot per line: "2027-01-12 10:00-12:00" (Europe/Berlin) or "2027-01-12" (all
    day); dates also as 12.01.2027."""
    slots = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = SLOT_LINE.match(line)
        try:
            if match is None:
                raise ValueError
            day = _date(match["date"])
            if match["start"]:
                slots.append(polls.timed_slot(day, _time(match["start"]), _time(match["end"])))
            else:
                slots.append(polls.all_day_slot(day))
        except ValueError:
            raise ValidationError(
                _("Line %(number)s is not a date like 2027-01-12 10:00-12:00 or 2027-01-12."),
                params={"number": number},
            ) from None
    return slots


class PollForm(forms.ModelForm):
    slots_text = forms.CharField(
        label=_("Proposed dates"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One per line: a date with times in Europe/Berlin, e.g. 2027-01-12 10:00-12:00, "
            "or a date alone for a whole day, e.g. 2027-01-14."
        ),
    )

    class Meta:
        model = DatePoll
        fields = ["series", "meeting", "title", "description", "answer_by"]
        widgets = {"answer_by": ANSWER_BY_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = MeetingSeries.objects.filter(is_active=True)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(start__gt=timezone.now(), status=EventStatus.PUBLISHED)
            .select_related("series")
            .order_by("start")
        )

    def clean_slots_text(self):
        return parse_slots(self.cleaned_data["slots_text"])


class PollEditForm(forms.ModelForm):
    """Title, description and answer-by date of an open poll; dates and invitees added or
    removed. Removing dates that have answers needs `confirm_removal`, which the page
    offers once it has said how many answers go."""

    add_slots_text = forms.CharField(
        label=_("Add dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PollForm.base_fields["slots_text"].help_text,
    )
    remove_slots = forms.TypedMultipleChoiceField(
        label=_("Remove dates"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The answers given for a removed date are deleted."),
    )
    add_people = forms.ModelMultipleChoiceField(
        label=_("Invite people"),
        required=False,
        queryset=Person.objects.none(),
        help_text=_("They get their personal link at once if the poll has been sent."),
    )
    remove_invitees = forms.TypedMultipleChoiceField(
        label=_("Remove invitees"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their personal link stops working; their answers are deleted."),
    )
    confirm_removal = forms.BooleanField(
        label=_("Yes, delete the answers given for the removed dates"), required=False
    )

    class Meta:
        model = DatePoll
        fields = ["title", "description", "answer_by"]
        widgets = {"answer_by": ANSWER_BY_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        poll = self.instance
        slots = sorted(poll.slots.all(), key=lambda slot: slot.sort_key())
        answers = dict(
            PollVote.objects.filter(slot__poll=poll)
            .values("slot")
            .annotate(count=Count("pk"))
            .values_list("slot", "count")
        )
        self.fields["remove_slots"].choices = [
            (
                slot.pk,
                ngettext("%(slot)s – %(count)s answer", "%(slot)s – %(count)s answers", count)
                % {"slot": slot.label(), "count": count},
            )
            for slot in slots
            for count in [answers.get(slot.pk, 0)]
        ]
        invitees = list(poll.invitees.select_related("organisation").order_by("name", "pk"))
        self.fields["remove_invitees"].choices = [
            (
                invitee.pk,
                f"{invitee.name} ({invitee.organisation})"
                if invitee.organisation_id
                else invitee.name,
            )
            for invitee in invitees
        ]
        self.fields["add_people"].queryset = (
            Person.objects.exclude(email="")
            .exclude(email__in=[invitee.email for invitee in invitees])
            .order_by("last_name", "first_name", "pk")
        )
        if not (self.is_bound and self.data.getlist("remove_slots")):
            # Offered once dates are to be removed: the refusal then says how many answers go.
            self.fields["confirm_removal"].widget = forms.HiddenInput()

    def clean_add_slots_text(self):
        return parse_slots(self.cleaned_data["add_slots_text"])


class AnswerForm(forms.Form):
    """One choice (yes / if need be / no) per slot."""

    def __init__(self, *args, slots, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        for slot in slots:
            self.fields[f"slot_{slot.pk}"] = forms.ChoiceField(
                label=slot.label(),
                choices=PollAnswer.choices,
                widget=forms.RadioSelect,
                initial=(initial_answers or {}).get(slot.pk),
                error_messages={"required": _("Please answer for this date.")},
            )

    def answers(self):
        return {slot.pk: self.cleaned_data[f"slot_{slot.pk}"] for slot in self.slots}


class DecideForm(forms.Form):
    slot = forms.IntegerField()
