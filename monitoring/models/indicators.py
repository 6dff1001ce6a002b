"""The indicator catalogue: what each figure of the monitoring means, who delivers it for
which spatial level, and which values are plausible; and the sets a delivery round asks for."""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.models import CreatedRecord

from .spaces import KEY_PATTERN


class SpatialLevel(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    SOCIAL_SPACE = "social_space", _("social space")
    NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")


class ValueType(models.TextChoices):
    COUNT = "count", _("count (whole number)")
    DECIMAL = "decimal", _("decimal number")
    PERCENTAGE = "percentage", _("percentage")


SUPPLIER_KINDS = [
    ("municipality", _("Municipality")),
    ("jobcenter", _("Jobcenter")),
    ("welfare_association", _("Welfare association")),
    ("county_office", _("County office")),
]


class Indicator(CreatedRecord):
    """One figure of the monitoring: what it means, in which unit, from whom, for which
    spatial level, and what values are plausible. Counts below `suppress_below` are marked
    and never published (small numbers could identify people)."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                KEY_PATTERN,
                _("Use letters, digits, dots, hyphens and underscores only (at most 64)."),
            )
        ],
        help_text=_("A short stable code, e.g. SGB2-U15."),
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. persons, %, per 1,000"))
    value_type = models.CharField(
        _("kind of value"), max_length=16, choices=ValueType.choices, default=ValueType.COUNT
    )
    source = models.CharField(_("source"), max_length=200)
    spatial_level = models.CharField(
        _("delivered for"),
        max_length=16,
        choices=SpatialLevel.choices,
        default=SpatialLevel.NEIGHBOURHOOD,
    )
    supplier_kind = models.CharField(_("supplied by"), max_length=32, choices=SUPPLIER_KINDS)
    minimum = models.DecimalField(
        _("plausible from"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("plausible up to"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    suppress_below = models.PositiveIntegerField(
        _("suppress counts below"),
        null=True,
        blank=True,
        help_text=_("Counts below this are marked and never published. Empty: no suppression."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum__isnull=True)
                | models.Q(maximum__isnull=True)
                | models.Q(maximum__gte=models.F("minimum")),
                name="indicator_range_ordered",
                violation_error_message=_("“Plausible up to” cannot be below “plausible from”."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("monitoring:indicator", args=[self.pk])


class IndicatorSet(CreatedRecord):
    """The indicators a delivery round asks for, e.g. "Quartiersprofil (14 Indikatoren)"."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), related_name="sets"
    )

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("monitoring:indicator_set", args=[self.pk])
