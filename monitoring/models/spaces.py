"""The small areas the social monitoring reports on. The municipalities decide their own
social spaces (Sozialräume) and the neighbourhoods (Quartiere) within them; the county
confirms them. A space keeps its key across versions: a re-cut ends a version and starts
another, and a mapping between versions says how earlier figures carry over, so time series
survive a new boundary."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.models import CreatedRecord, Organisation

KEY_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$"


class SpaceLevel(models.TextChoices):
    SOCIAL_SPACE = "social_space", _("social space")
    NEIGHBOURHOOD = "neighbourhood", _("neighbourhood")


class SpaceStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed by the municipality")
    CONFIRMED = "confirmed", _("confirmed by the county")


class Space(CreatedRecord):
    """One version of a social space or a neighbourhood, valid from a day until a day (or
    open). `key` names the space across its versions (e.g. the municipality's AGS and its own
    number); two versions of one key never overlap."""

    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="spaces",
        limit_choices_to={"kind": "municipality"},
    )
    level = models.CharField(_("level"), max_length=16, choices=SpaceLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("social space"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        help_text=_("The social space a neighbourhood lies in."),
    )
    key = models.CharField(
        _("key"),
        max_length=64,
        validators=[
            RegexValidator(
                KEY_PATTERN,
                _("Use letters, digits, dots, hyphens and underscores only (at most 64)."),
            )
        ],
        help_text=_("Stays the same across versions, e.g. 05382060-SR01."),
    )
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"), default=datetime.date.today)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: still valid.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SpaceStatus.choices, default=SpaceStatus.PROPOSED
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    geometry = models.JSONField(
        _("boundary (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Optional: a GeoJSON Polygon or MultiPolygon in WGS 84 (longitude, latitude)."),
    )
    street_list_key = models.CharField(
        _("street list key"),
        max_length=100,
        blank=True,
        help_text=_("Optional: the key of the space in the municipality's street list."),
    )

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["municipality__name", "key", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="space_version_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="space_valid_until_after_from",
                violation_error_message=_("“Valid until” cannot be before “valid from”."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.key})"

    def get_absolute_url(self):
        return reverse("monitoring:space", args=[self.pk])

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class SpaceSuccession(models.Model):
    """How a version carries over to the next after a re-cut: `share` of the earlier space's
    figures belong to the later one (1 when a space is only renamed or merged whole)."""

    earlier = models.ForeignKey(
        Space,
        verbose_name=_("earlier version"),
        on_delete=models.CASCADE,
        related_name="successors",
    )
    later = models.ForeignKey(
        Space,
        verbose_name=_("later version"),
        on_delete=models.CASCADE,
        related_name="predecessors",
    )
    share = models.DecimalField(
        _("share"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
        help_text=_("The part of the earlier space that lies in the later one (0 to 1)."),
    )

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["earlier", "later"], name="space_succession_unique")
        ]

    def __str__(self):
        return f"{self.earlier} → {self.later} ({self.share})"
