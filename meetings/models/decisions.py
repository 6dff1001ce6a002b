"""A body's numbered decisions ("LG-2027-07") and the counter that numbers them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.models import (
    Body,
)

from .series import Meeting


class DecisionRegister(models.Model):
    """A body's register of decisions: the code its numbers begin with ("LG")."""

    body = models.OneToOneField(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="decision_register"
    )
    code = models.CharField(
        _("code for decision numbers"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9]{0,9}$",
                _("Use capital letters and digits only, starting with a letter (e.g. LG)."),
            )
        ],
        help_text=_("Decisions are numbered CODE-YEAR-NUMBER, e.g. LG-2027-07."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("decision register")
        verbose_name_plural = _("decision registers")

    def __str__(self):
        return self.code


class DecisionCounter(models.Model):
    """The last number given per register and year; locked while a decision is numbered, so
    two decisions taken at once get different numbers."""

    register = models.ForeignKey(DecisionRegister, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="decision_counter_once")
        ]

    def __str__(self):
        return f"{self.register}-{self.year}: {self.last}"


class Decision(models.Model):
    """A decision of a body, numbered once ("LG-2027-07") and never renumbered."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="decisions"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    reference = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    year = models.PositiveIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("sequence number"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text of the decision"))
    decided_on = models.DateField(_("decided on"))
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="decision_number_once")
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:decision_register", args=[self.body_id]) + f"#{self.reference}"

    def clean(self):
        if self.meeting_id and self.body_id and self.meeting.series.body_id != self.body_id:
            raise ValidationError({"meeting": _("The meeting belongs to another body.")})
