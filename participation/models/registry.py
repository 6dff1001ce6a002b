"""The registry: accounts, organisations, people and bodies."""

import datetime

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_coordinator", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A sign-in account. Identity data (name, organisation) lives on the linked Person."""

    email = models.EmailField(_("e-mail address"), unique=True)
    is_coordinator = models.BooleanField(
        _("coordinator"),
        default=False,
        help_text=_("Coordinators manage the whole registry, surveys and workshops."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user account")
        verbose_name_plural = _("user accounts")

    def __str__(self):
        return self.email

    @property
    def acts_as_coordinator(self):
        return self.is_active and (self.is_coordinator or self.is_superuser)


class OrganisationKind(models.TextChoices):
    COUNTY_OFFICE = "county_office", _("County office")
    MUNICIPALITY = "municipality", _("Municipality")
    POLITICAL_GROUP = "political_group", _("Political group")
    WELFARE_ASSOCIATION = "welfare_association", _("Welfare association")
    JOBCENTER = "jobcenter", _("Jobcenter")
    OTHER = "other", _("Other")


ags_validator = RegexValidator(
    r"^\d{8}$", _("The official municipality key (AGS) has exactly 8 digits.")
)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    ags = models.CharField(
        _("official municipality key (AGS)"),
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        validators=[ags_validator],
        help_text=_("Required for municipalities, e.g. 05382056."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.MUNICIPALITY) | Q(ags__isnull=False),
                name="municipality_has_ags",
                violation_error_message=_("A municipality needs its AGS."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("participation:organisation_detail", args=[self.pk])

    def clean(self):
        self.ags = self.ags or None
        if self.kind == OrganisationKind.MUNICIPALITY and not self.ags:
            raise ValidationError({"ags": _("A municipality needs its AGS.")})
        if self.ags and self.kind != OrganisationKind.MUNICIPALITY:
            raise ValidationError({"ags": _("Only municipalities carry an AGS.")})


# What records show in place of an erased person's name.
FORMER_MEMBER = _("former member")


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class Person(models.Model):
    """Someone who takes part. May exist long before (or without) a sign-in account."""

    title = models.CharField(_("title"), max_length=40, blank=True, help_text=_("e.g. Dr."))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    notes = models.TextField(_("notes"), blank=True)
    erased_at = models.DateTimeField(
        _("erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the person's personal data was erased; the row keeps their roles."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="person_email_unique_ci",
                violation_error_message=_("This e-mail address already belongs to another person."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("participation:person_detail", args=[self.pk])

    @property
    def full_name(self):
        if self.erased_at:
            return str(FORMER_MEMBER)
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    def clean(self):
        self.email = (self.email or "").strip().lower()
        if self.email:
            clash = Person.objects.filter(email__iexact=self.email).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"email": _("This e-mail address already belongs to another person.")}
                )


def current_term_q(prefix="", on=None):
    """The condition "the term covers the day `on` (default today)", optionally through a
    relation prefix such as "memberships__"."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": on})
    )


class TermQuerySet(models.QuerySet):
    def current(self, on=None):
        return self.filter(current_term_q(on=on))


class Term(models.Model):
    """A period with a start and an optional end, both inclusive."""

    valid_from = models.DateField(_("valid from"), default=datetime.date.today)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean_term(self, siblings, overlap_message):
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end lies before the start.")})
        if self.valid_from is None:
            return
        overlapping = siblings.exclude(pk=self.pk).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from)
        )
        if self.valid_until:
            overlapping = overlapping.filter(valid_from__lte=self.valid_until)
        if overlapping.exists():
            raise ValidationError({"valid_from": overlap_message})

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_until is None or self.valid_until >= today)


class Membership(Term):
    """A person working in an organisation, with their function there."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    function = models.CharField(
        _("function"), max_length=150, blank=True, help_text=_("e.g. Sozialdezernentin")
    )
    is_contact = models.BooleanField(
        _("contact person"),
        default=False,
        help_text=_("Receives what is addressed to the organisation (surveys, reminders)."),
    )

    class Meta:
        ordering = ["organisation__name", "person__last_name", "-valid_from"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.person} – {self.organisation}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    def clean(self):
        if self.person_id and self.organisation_id:
            self.clean_term(
                Membership.objects.filter(person=self.person_id, organisation=self.organisation_id),
                _("This person already belongs to this organisation in an overlapping term."),
            )


class BodyKind(models.TextChoices):
    STEERING_GROUP = "steering_group", _("Steering group")
    WORKING_GROUP = "working_group", _("Working group")
    PROJECT_GROUP = "project_group", _("Project group")
    RECURRING_TALK = "recurring_talk", _("Recurring talk")
    COMMITTEE = "committee", _("Committee")


class Body(models.Model):
    """A standing group (Gremium) such as the steering group or the quarterly talks."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("participation:body_detail", args=[self.pk])


class BodyRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    DEPUTY = "deputy", _("Deputy")
    GUEST = "guest", _("Guest")


class BodyMembership(Term):
    """A seat in a body: who sits there, in which role, for which organisation, when."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="body_memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=BodyRole.choices, default=BodyRole.MEMBER
    )
    represents = models.ForeignKey(
        Organisation,
        verbose_name=_("represents"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="body_seats",
    )
    deputy_of = models.ForeignKey(
        "self",
        verbose_name=_("deputy of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputies",
    )

    class Meta:
        ordering = ["body__name", "role", "person__last_name"]
        verbose_name = _("body membership")
        verbose_name_plural = _("body memberships")

    def __str__(self):
        return f"{self.person} – {self.body} ({self.get_role_display()})"

    def get_absolute_url(self):
        return reverse("participation:body_detail", args=[self.body_id])

    def clean(self):
        if self.role == BodyRole.DEPUTY and not self.deputy_of_id:
            raise ValidationError({"deputy_of": _("Name whom this deputy stands in for.")})
        if self.deputy_of_id:
            if self.role != BodyRole.DEPUTY:
                raise ValidationError({"role": _("Only a deputy stands in for someone.")})
            principal = self.deputy_of
            if principal.body_id != self.body_id:
                raise ValidationError({"deputy_of": _("The principal sits in another body.")})
            if principal.person_id == self.person_id:
                raise ValidationError({"deputy_of": _("Nobody can be their own deputy.")})
            if principal.role == BodyRole.DEPUTY:
                raise ValidationError({"deputy_of": _("A deputy cannot have a deputy.")})
            if self.pk and self.deputies.exists():
                raise ValidationError(
                    {"role": _("Others stand in for this seat, so it cannot become a deputy.")}
                )
        if self.body_id and self.person_id:
            self.clean_term(
                BodyMembership.objects.filter(body=self.body_id, person=self.person_id),
                _("This person already sits in this body in an overlapping term."),
            )
