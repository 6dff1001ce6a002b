"""Data delivery rounds: the county asks suppliers (municipalities, the Jobcenter, welfare
associations, county offices) for the figures of an indicator set on a reference date
(Stichtag), within a delivery window. Each supplier fills in one delivery together, a grid of
spaces × indicators, on the base's organisation-response engine: every cell is an answer with
its revision, so two people typing into the same cell meet the conflict rule, and every
change is kept in the cell's history."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participation.models import (
    AnswerHistoryEntry,
    ContactReminder,
    CreatedRecord,
    Organisation,
    OrganisationResponse,
    RevisedAnswer,
)

from .indicators import Indicator, IndicatorSet
from .spaces import Space


class Round(CreatedRecord):
    """One collection: which indicators, for which reference date, delivered when."""

    name = models.CharField(_("name"), max_length=200)
    indicator_set = models.ForeignKey(
        IndicatorSet,
        verbose_name=_("indicator set"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    reference_date = models.DateField(
        _("reference date"), help_text=_("The day the figures describe (Stichtag).")
    )
    opens_on = models.DateField(_("delivery window opens"))
    closes_on = models.DateField(_("delivery window closes"))
    change_threshold = models.DecimalField(
        _("change needing a comment"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10"))],
        help_text=_(
            "A value that differs from the last round by more than this share (0.25: 25 %) "
            "needs a comment."
        ),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("reminder, days before the window closes"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_("Suppliers who have not submitted are reminded once on that day."),
    )

    class Meta:
        verbose_name = _("delivery round")
        verbose_name_plural = _("delivery rounds")
        ordering = ["-reference_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="round_window_ordered",
                violation_error_message=_("The window cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("monitoring:round", args=[self.pk])

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class Review(models.TextChoices):
    PENDING = "pending", _("not reviewed")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("sent back")


class Delivery(OrganisationResponse):
    """One supplier's figures for one round, filled in by any of its members."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="deliveries"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="monitoring_deliveries",
    )
    review = models.CharField(
        _("review"), max_length=16, choices=Review.choices, default=Review.PENDING
    )
    review_comment = models.TextField(_("comment of the review"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["round", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="delivery_one_per_supplier"
            )
        ]

    def __str__(self):
        return f"{self.round} – {self.organisation}"

    def get_absolute_url(self):
        return reverse("monitoring:delivery", args=[self.pk])

    @property
    def default_deadline(self):
        return self.round.closes_on

    @property
    def is_approved(self) -> bool:
        return self.review == Review.APPROVED

    def check_editable(self, *, today=None):
        today = today or timezone.localdate()
        if self.review == Review.APPROVED:
            raise ValidationError(
                gettext("The county approved this delivery on %(date)s; it no longer changes.")
                % {"date": formats.date_format(timezone.localtime(self.reviewed_at))}
            )
        if self.status == self.Status.SUBMITTED:
            raise ValidationError(
                gettext(
                    "This delivery was submitted on %(date)s and waits for the county's "
                    "review. To change it, ask the county to send it back."
                )
                % {"date": formats.date_format(timezone.localtime(self.submitted_at))}
            )
        if today < self.round.opens_on:
            raise ValidationError(
                gettext("The delivery window opens on %(date)s.")
                % {"date": formats.date_format(self.round.opens_on)}
            )
        if self.is_past_deadline(today):
            raise ValidationError(
                gettext(
                    "The delivery window closed on %(date)s, so this delivery is locked. "
                    "The county can extend the window for your organisation."
                )
                % {"date": formats.date_format(self.effective_deadline)}
            )


class Value(RevisedAnswer):
    """One cell of a delivery: an indicator's figure for a space, or for the whole
    municipality (`space` empty). `value` holds what was entered, `{"number": "1234",
    "comment": "…"}` with the number as an exact decimal string; `number` and `suppressed`
    are kept beside it for results and exports."""

    response = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    space = models.ForeignKey(
        Space,
        verbose_name=_("space"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="values",
        help_text=_("Empty: the municipality as a whole."),
    )
    number = models.DecimalField(
        _("number"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    suppressed = models.BooleanField(
        _("suppressed"),
        default=False,
        help_text=_("A count below the indicator's threshold: never published."),
    )

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "indicator", "space"],
                condition=models.Q(space__isnull=False),
                name="value_one_per_space",
            ),
            models.UniqueConstraint(
                fields=["response", "indicator", "municipality"],
                condition=models.Q(space__isnull=True),
                name="value_one_per_municipality_total",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "space"], name="value_indicator_space")]

    def __str__(self):
        return f"{self.indicator.code} {self.space or self.municipality}: {self.number}"

    @property
    def comment(self) -> str:
        return (self.value or {}).get("comment", "")

    def save(self, *args, **kwargs):
        raw = (self.value or {}).get("number")
        self.number = Decimal(raw) if raw not in (None, "") else None
        threshold = self.indicator.suppress_below
        self.suppressed = bool(
            threshold and self.number is not None and 0 < self.number < threshold
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "number", "suppressed"}
        super().save(*args, **kwargs)


class ValueChange(AnswerHistoryEntry):
    answer = models.ForeignKey(
        Value, verbose_name=_("value"), on_delete=models.CASCADE, related_name="changes"
    )

    class Meta:
        verbose_name = _("change of a value")
        verbose_name_plural = _("changes of values")
        ordering = ["-revision"]


class DeliveryReminder(ContactReminder):
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reminders"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="monitoring_reminders",
    )
    person = models.ForeignKey(
        "participation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="monitoring_reminders",
    )

    class Meta:
        verbose_name = _("delivery reminder")
        verbose_name_plural = _("delivery reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "person", "sent_on"],
                name="delivery_reminder_once_a_day",
            )
        ]


class DeliveryNotice(models.Model):
    """A mail to one contact person of a supplier about its delivery: that the round is open
    (one per delivery, so per round and supplier, and person), or that the county sent the
    delivery back (one per send-back and person, the send-back named by its moment). The
    row is written in the transaction that queues the mail, so opening a round again, a
    retry or two clicks at once send nothing twice
    (`participation.responses.mail_contacts_once`)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("delivery round open")
        RETURNED = "returned", _("sent back for corrections")

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="notices"
    )
    person = models.ForeignKey(
        "participation.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="monitoring_notices",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sent_back_at = models.DateTimeField(
        _("sent back"),
        null=True,
        blank=True,
        help_text=_("The send-back this notice tells of (empty for the opening)."),
    )
    mail = models.ForeignKey(
        "participation.OutboundMail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("notice about a delivery")
        verbose_name_plural = _("notices about deliveries")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "person"],
                condition=models.Q(kind="opened"),
                name="delivery_open_notice_once",
            ),
            models.UniqueConstraint(
                fields=["delivery", "person", "sent_back_at"],
                condition=models.Q(kind="returned"),
                name="delivery_return_notice_once",
            ),
        ]

    def __str__(self):
        return f"{self.delivery} – {self.person} ({self.kind})"
