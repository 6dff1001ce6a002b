"""Requests to erase a person's personal data (Art. 17 GDPR). A request waits in the
coordinators' queue, since a seat in a body or an open process may need a hand-over first;
the erasure itself is `participation.erasure.erase_person`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .events import Invitation
from .registry import Person


class ErasureRequest(models.Model):
    class Channel(models.TextChoices):
        ACCOUNT = "account", _("Own account")
        PERSONAL_LINK = "personal_link", _("Personal link")
        # No request: a coordinator erased on their own word; recorded once done.
        COORDINATOR = "coordinator", _("A coordinator")

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="erasure_requests",
    )
    # An invitee outside the registry asks through their invitation's personal link; the
    # erasure then finds them by its address.
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("asked through"), max_length=16, choices=Channel.choices)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    done_at = models.DateTimeField(_("erased"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The uploads kept unchanged that may name the person (`erasure_files`): what record,
    # which file, why; nothing of the person.
    files_to_check = models.JSONField(
        _("files to check by hand"), default=list, blank=True, editable=False
    )

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            # One open request per person: asking again only confirms the first.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(done_at__isnull=True, person__isnull=False),
                name="erasure_request_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["invitation"],
                condition=models.Q(done_at__isnull=True, invitation__isnull=False),
                name="erasure_request_one_open_per_invitation",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(invitation__isnull=False),
                name="erasure_request_names_someone",
            ),
        ]

    def __str__(self):
        return f"{self.subject} ({self.requested_at:%d.%m.%Y})"

    @property
    def subject(self):
        """Whom the request is about: the person, else the invitee."""
        return self.person or self.invitation

    @property
    def is_open(self):
        return self.done_at is None
