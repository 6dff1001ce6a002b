from django import forms
from django.utils.translation import gettext_lazy as _

from .committee import PeriodError, check_period


class ReportPeriodForm(forms.Form):
    start = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            check_period(data.get("start"), data.get("end"))
        except PeriodError as error:
            field = "start" if data.get("start") is None else "end"
            self.add_error(field, str(error))
        return data
