import json

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.forms import DATE_WIDGET
from participation.models import Organisation

from .models import SUPPLIER_KINDS, Indicator, IndicatorSet, Round, Space, SpaceLevel


class GeoJSONField(forms.CharField):
    """GeoJSON typed or pasted as text; the registry's rules check its shape."""

    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        try:
            parsed = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("This is not valid JSON.")) from None
        if isinstance(parsed, dict) and parsed.get("type") == "Feature":
            parsed = parsed.get("geometry")
        if not isinstance(parsed, dict):
            raise forms.ValidationError(_("This is not a GeoJSON Polygon or MultiPolygon."))
        return parsed


class SpaceForm(forms.ModelForm):
    geometry = GeoJSONField(
        label=_("boundary (GeoJSON)"),
        required=False,
        help_text=_("Optional: a GeoJSON Polygon or MultiPolygon in WGS 84 (longitude, latitude)."),
    )

    class Meta:
        model = Space
        fields = [
            "municipality",
            "level",
            "parent",
            "key",
            "name",
            "valid_from",
            "valid_until",
            "street_list_key",
            "geometry",
        ]
        widgets = {"valid_from": DATE_WIDGET, "valid_until": DATE_WIDGET}

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:
            # A member of one municipality proposes for it; no choice to make.
            self.fields["municipality"].empty_label = None
        self.fields["parent"].queryset = Space.objects.filter(
            level=SpaceLevel.SOCIAL_SPACE, municipality__in=municipalities
        ).select_related("municipality")
        self.fields["parent"].label_from_instance = lambda space: (
            f"{space.municipality.name}: {space.name} ({space.key}, "
            f"{space.valid_from:%d.%m.%Y}–{space.valid_until:%d.%m.%Y})"
            if space.valid_until
            else f"{space.municipality.name}: {space.name} ({space.key}, "
            f"{space.valid_from:%d.%m.%Y}–)"
        )


class NewVersionForm(forms.Form):
    valid_from = forms.DateField(label=_("new version valid from"), widget=DATE_WIDGET)
    name = forms.CharField(
        label=_("name"), max_length=200, required=False, help_text=_("Empty: keep the name.")
    )
    geometry = GeoJSONField(
        label=_("new boundary (GeoJSON)"),
        required=False,
        help_text=_("Empty: keep the boundary."),
    )


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "definition",
            "unit",
            "value_type",
            "source",
            "spatial_level",
            "supplier_kind",
            "minimum",
            "maximum",
            "suppress_below",
            "is_active",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}


class IndicatorSetForm(forms.ModelForm):
    class Meta:
        model = IndicatorSet
        fields = ["name", "description", "indicators"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "indicators": forms.CheckboxSelectMultiple,
        }


class RoundForm(forms.ModelForm):
    suppliers = forms.ModelMultipleChoiceField(
        label=_("suppliers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Each gets a delivery with the set's indicators of its kind."),
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "indicator_set",
            "reference_date",
            "opens_on",
            "closes_on",
            "change_threshold",
            "remind_days_before",
        ]
        widgets = {
            "reference_date": DATE_WIDGET,
            "opens_on": DATE_WIDGET,
            "closes_on": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [kind for kind, _label in SUPPLIER_KINDS]
        self.fields["suppliers"].queryset = Organisation.objects.filter(kind__in=kinds).order_by(
            "kind", "name"
        )
        if self.instance.pk:
            self.fields["suppliers"].initial = list(
                self.instance.deliveries.values_list("organisation_id", flat=True)
            )
            self.fields["suppliers"].help_text = _(
                "Suppliers can be added; a supplier's delivery is never removed."
            )


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the supplier correct?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("open for this supplier until"), widget=DATE_WIDGET)


class DeliveryFileForm(forms.Form):
    """The filled-in template; its type and rows are checked by delivery_files.import_file."""

    file = forms.FileField(
        label=_("Filled-in template (CSV or XLSX)"),
        help_text=_(
            "One row per figure, as in the template. Every row is checked first; if one is "
            "wrong, nothing is saved and each error is named by row and column."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
