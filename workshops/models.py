"""Workshops by topic or occasion: an event (date, place, capacity, invitations from the
base) with a description, agenda, documents and its documentation afterwards."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participation.models import Event, EventStatus

DOCUMENT_DIR = "workshop-documents"


class Workshop(Event):
    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("Thematic")
        OCCASION = "occasion", _("Occasion")

    topic = models.CharField(_("topic"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.THEMATIC)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: headings, lists, links, emphasis.")
    )
    results = models.TextField(
        _("results"), blank=True, help_text=_("Markdown. Shown on the documentation page.")
    )
    minutes = models.TextField(
        _("minutes"), blank=True, help_text=_("Markdown. Shown on the documentation page.")
    )
    documentation_published = models.BooleanField(
        _("documentation shared with invitees"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def get_absolute_url(self):
        return reverse("workshops:workshop_detail", args=[self.pk])

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.status != EventStatus.DRAFT and not (self.is_in_person or self.is_online):
            # Invitations go out once published: they must say where to go.
            errors.setdefault("venue_name", []).append(
                ValidationError(_("Give a venue or an online link before publishing."))
            )
        if errors:
            raise ValidationError(errors)

    def invitation_details(self):
        """Lines the invitation mail and the reply page add to date and place (in the
        recipient's language, which is active while the mail is rendered)."""
        if self.topic:
            return [gettext("Topic: %(topic)s") % {"topic": self.topic}]
        return []

    def invitation_programme(self):
        """The agenda as (time, item) rows for the invitation mail and the reply page."""
        return [
            (
                formats.time_format(item.starts_at, "TIME_FORMAT"),
                f"{item.title} ({item.presenter})" if item.presenter else item.title,
            )
            for item in self.agenda.all()
        ]


class AgendaItem(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="agenda"
    )
    starts_at = models.TimeField(_("time"))
    title = models.CharField(_("title"), max_length=200)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)

    class Meta:
        ordering = ["workshop", "starts_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.starts_at:%H:%M} {self.title}"

    def get_absolute_url(self):
        return reverse("workshops:agenda", args=[self.workshop_id])


def document_path(document, filename):
    """Never the uploaded name (it lives in `original_name`): a random one per file."""
    return f"{DOCUMENT_DIR}/{document.workshop_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file for the workshop (before: invitation material; after: documentation). Stored
    outside the web root and served only to those allowed."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False, default=0)
    for_documentation = models.BooleanField(
        _("part of the documentation"),
        default=False,
        help_text=_("Shown on the documentation page after the workshop."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["workshop", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title


from .live.models import *  # noqa: E402, F401, F403  (the live sessions, workshops/live/)
