"""Forms of the survey builder. A question's kind-specific settings are plain form fields
here and become the question's `config` (see the Question docstring)."""

from django import forms
from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from participation.models import Organisation, OrganisationKind

from .answer_types import clean_answer
from .models import Question, QuestionKind, Section, Survey
from .services import KEY_PATTERN

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}
NUMBER_KINDS = {QuestionKind.INTEGER, QuestionKind.DECIMAL}
TABLE_CELL_KINDS = {"short_text", "integer", "decimal", "date"}
FILE_TYPES = [("pdf", "PDF"), ("xlsx", "XLSX"), ("csv", "CSV"), ("docx", "DOCX"), ("odt", "ODT")]


class SurveyForm(forms.ModelForm):
    audience_kinds = forms.MultipleChoiceField(
        label=_("Ask every organisation of these kinds"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Survey
        fields = ["title", "description", "opens_on", "deadline", "audience"]
        widgets = {
            "opens_on": DATE_WIDGET,
            "deadline": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "audience": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["audience"].required = False
        self.fields["audience"].label = _("…and these single organisations")

    def clean(self):
        cleaned = super().clean()
        opens_on, deadline = cleaned.get("opens_on"), cleaned.get("deadline")
        if opens_on and deadline and deadline < opens_on:
            self.add_error("deadline", _("The deadline lies before the opening date."))
        return cleaned


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _options(text):
    """'value = Label' or just 'Label' per line → [{"value", "label"}]."""
    options = []
    for line in _lines(text):
        value, sep, label = line.partition("=")
        label = label.strip() if sep else value.strip()
        value = value.strip() if sep else slugify(label).replace("-", "_")
        options.append({"value": value or label, "label": label})
    return options


def _options_text(options):
    return "\n".join(f"{o['value']} = {o['label']}" for o in options or [])


class QuestionForm(forms.ModelForm):
    choices = forms.CharField(
        label=_("Options (one per line, “value = Label” or just the label)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    allow_other = forms.BooleanField(
        label=_("Allow an answer of one's own (“Other”)"), required=False
    )
    min_value = forms.DecimalField(label=_("Minimum"), required=False)
    max_value = forms.DecimalField(label=_("Maximum"), required=False)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=30)
    decimal_places = forms.IntegerField(
        label=_("Decimal places"), required=False, min_value=0, max_value=6
    )
    min_label = forms.CharField(label=_("Label of the lowest value"), required=False, max_length=60)
    max_label = forms.CharField(
        label=_("Label of the highest value"), required=False, max_length=60
    )
    rows = forms.CharField(
        label=_("Matrix rows (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    columns = forms.CharField(
        label=_("Matrix columns (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    table_columns = forms.CharField(
        label=_("Table columns, one per line: key | Label | kind | required"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    max_rows = forms.IntegerField(
        label=_("At most rows"), required=False, min_value=1, max_value=500
    )
    file_types = forms.MultipleChoiceField(
        label=_("Allowed file types"),
        choices=FILE_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_size_mb = forms.IntegerField(
        label=_("Largest file (MB)"),
        required=False,
        min_value=1,
        max_value=settings.UPLOAD_MAX_MB,  # what the server takes at most
    )
    condition_question = forms.ChoiceField(label=_("Show only if the question"), required=False)
    condition_equals = forms.CharField(
        label=_("…has the answer (value)"), required=False, max_length=100
    )

    class Meta:
        model = Question
        fields = ["section", "position", "key", "kind", "text", "help_text", "required"]
        widgets = {"help_text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["section"].queryset = version.sections.all()
        earlier = Question.objects.filter(section__version=version)
        if self.instance.pk:
            earlier = earlier.exclude(pk=self.instance.pk)
        self.fields["condition_question"].choices = [("", _("(always shown)"))] + [
            (q.key, f"{q.key}: {q.text[:60]}") for q in earlier
        ]
        if self.instance.pk:
            self.initial.update(self._initial_from_config(self.instance))

    @staticmethod
    def _initial_from_config(question):
        config = question.config or {}
        condition = question.condition or {}
        columns = config.get("columns") or []
        return {
            "choices": _options_text(config.get("choices")),
            "allow_other": config.get("allow_other", False),
            "min_value": config.get("min"),
            "max_value": config.get("max"),
            "unit": config.get("unit", ""),
            "decimal_places": config.get("decimal_places"),
            "min_label": config.get("min_label", ""),
            "max_label": config.get("max_label", ""),
            "rows": _options_text(config.get("rows")),
            "columns": _options_text(columns) if question.kind == QuestionKind.MATRIX else "",
            "table_columns": "\n".join(
                f"{c['key']} | {c['label']} | {c.get('kind', 'short_text')}"
                + (" | required" if c.get("required") else "")
                for c in columns
            )
            if question.kind == QuestionKind.TABLE
            else "",
            "max_rows": config.get("max_rows"),
            "file_types": config.get("types", []),
            "max_size_mb": config.get("max_size_mb"),
            "condition_question": condition.get("question", ""),
            "condition_equals": condition.get("equals", ""),
        }

    def clean_key(self):
        key = self.cleaned_data["key"]
        if not KEY_PATTERN.fullmatch(key):
            raise forms.ValidationError(
                _("The key may hold only lowercase letters, digits and underscores.")
            )
        return key

    def _table_columns(self, text):
        columns = []
        for number, line in enumerate(_lines(text), start=1):
            parts = [part.strip() for part in line.split("|")]
            kind = parts[2] if len(parts) > 2 and parts[2] else "short_text"
            if len(parts) < 2 or not parts[0] or kind not in TABLE_CELL_KINDS:
                raise forms.ValidationError(
                    _("Line %(number)s: write “key | Label | kind”, kind one of %(kinds)s.")
                    % {"number": number, "kinds": ", ".join(sorted(TABLE_CELL_KINDS))}
                )
            columns.append(
                {
                    "key": parts[0],
                    "label": parts[1],
                    "kind": kind,
                    "required": "required" in parts[3:],
                }
            )
        return columns

    def _config(self, kind, data):
        config = {}
        if kind in CHOICE_KINDS:
            config["choices"] = _options(data.get("choices"))
            if not config["choices"]:
                self.add_error("choices", _("Offer at least one option."))
            if data.get("allow_other"):
                config["allow_other"] = True
        if kind in NUMBER_KINDS | {QuestionKind.SCALE}:
            for field, name in (("min_value", "min"), ("max_value", "max")):
                if data.get(field) is not None:
                    value = data[field]
                    config[name] = int(value) if kind != QuestionKind.DECIMAL else str(value)
            if kind == QuestionKind.SCALE:
                config.setdefault("min", 1)
                config.setdefault("max", 5)
            low, high = config.get("min"), config.get("max")
            if low is not None and high is not None and float(low) > float(high):
                self.add_error("max_value", _("The maximum lies below the minimum."))
        if kind in NUMBER_KINDS and data.get("unit"):
            config["unit"] = data["unit"]
        if kind == QuestionKind.DECIMAL and data.get("decimal_places") is not None:
            config["decimal_places"] = data["decimal_places"]
        if kind == QuestionKind.SCALE:
            for name in ("min_label", "max_label"):
                if data.get(name):
                    config[name] = data[name]
        if kind == QuestionKind.MATRIX:
            config["rows"], config["columns"] = (
                _options(data.get("rows")),
                _options(data.get("columns")),
            )
            if not config["rows"]:
                self.add_error("rows", _("A matrix needs rows."))
            if not config["columns"]:
                self.add_error("columns", _("A matrix needs columns."))
        if kind == QuestionKind.TABLE:
            try:
                config["columns"] = self._table_columns(data.get("table_columns"))
            except forms.ValidationError as error:
                self.add_error("table_columns", error)
            else:
                if not config["columns"]:
                    self.add_error("table_columns", _("A table needs columns."))
            if data.get("max_rows"):
                config["max_rows"] = data["max_rows"]
        if kind == QuestionKind.FILE:
            config["types"] = data.get("file_types") or [value for value, _label in FILE_TYPES]
            config["max_size_mb"] = data.get("max_size_mb") or 10
        return config

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        self.instance.config = self._config(kind, cleaned)
        if cleaned.get("condition_question"):
            self.instance.condition = {
                "question": cleaned["condition_question"],
                "equals": cleaned.get("condition_equals", ""),
            }
        else:
            self.instance.condition = None
        if not self.errors:
            probe = Question(kind=kind, config=self.instance.config, key=cleaned.get("key") or "x")
            try:
                clean_answer(probe, None)
            except (ValueError, TypeError, KeyError):
                raise forms.ValidationError(
                    _("These settings do not fit the question kind.")
                ) from None
        return cleaned
