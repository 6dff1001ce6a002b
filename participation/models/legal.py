"""The legal pages every German public body publishes: imprint (§ 5 DDG), privacy notice
(Art. 13/14 GDPR) and accessibility statement (§ 10b BGG NRW, Directive (EU) 2016/2102).
The German text is the binding one; the English one is a courtesy and may be empty."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Long enough for a thorough privacy notice, short enough to stop a paste gone wrong.
MAX_TEXT_LENGTH = 60_000


class LegalPageKind(models.TextChoices):
    IMPRINT = "imprint", _("Imprint")
    PRIVACY = "privacy", _("Privacy notice")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")


class LegalPage(models.Model):
    kind = models.CharField(_("page"), max_length=20, choices=LegalPageKind.choices, unique=True)
    body_de = models.TextField(
        _("German text"),
        max_length=MAX_TEXT_LENGTH,
        help_text=_("Markdown. The German text is the binding version and is required."),
    )
    body_en = models.TextField(
        _("English text"),
        max_length=MAX_TEXT_LENGTH,
        blank=True,
        help_text=_("Markdown. If empty, English readers see the German text with a note."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
        ordering = ["kind"]

    def __str__(self):
        return str(self.get_kind_display())

    def get_absolute_url(self):
        return reverse(f"participation:{self.kind}")

    def clean(self):
        if not self.body_de.strip():
            raise ValidationError(
                {"body_de": _("Please write the German text: it is the binding version.")}
            )

    def body_for(self, language: str) -> tuple[str, bool]:
        """The text for a reader of `language`, and whether it is the German one standing in
        for a missing English text."""
        if language != "de" and self.body_en.strip():
            return self.body_en, False
        return self.body_de, language != "de"


class BarrierReport(models.Model):
    """A barrier someone met on the platform, sent through the feedback mechanism the
    accessibility statement must offer (§ 10b (2) BGG NRW). Anyone may send one, signed in or
    not; the county's accessibility contact gets it by mail and coordinators answer it."""

    page = models.CharField(
        _("page"),
        max_length=500,
        blank=True,
        help_text=_("The address on this site where you met the barrier, if you know it."),
    )
    description = models.TextField(
        _("What did not work?"),
        max_length=5000,
        help_text=_("Describe the barrier, or the content you need in an accessible form."),
    )
    name = models.CharField(_("your name"), max_length=200, blank=True)
    email = models.EmailField(
        _("your e-mail address"),
        blank=True,
        help_text=_("Only if you would like an answer."),
    )
    language = models.CharField(_("language"), max_length=2, default="de")
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("barrier report")
        verbose_name_plural = _("barrier reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("Barrier report of %(date)s") % {"date": f"{self.created_at:%d.%m.%Y}"}

    def clean(self):
        if not self.description.strip():
            raise ValidationError({"description": _("Please describe the barrier.")})
        if self.page and not is_local_address(self.page):
            raise ValidationError(
                {"page": _("Please give an address on this site, beginning with “/”.")}
            )


def is_local_address(address: str) -> bool:
    """A path on this site: no scheme, no other host (`//host`, `/\\host`), no control
    characters."""
    return (
        address.startswith("/")
        and not address.startswith(("//", "/\\"))
        and not any(ord(character) < 32 for character in address)
    )
