"""Requests to erase a person's personal data (Art. 17 GDPR). A request waits in the
coordinators' queue, since a seat in a body or an open process may need a hand-over first;
the erasure itself is `participation.erasure.erase_person`. A coordinator may also decline a
request with a reason (Art. 12(4) GDPR; `erasure_requests.dismiss_request`): it is then no
longer open, and the person may ask again."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .events import Invitation
from .registry import Person


class ErasureRequestQuerySet(models.QuerySet):
    def open(self):
        """Neither carried out nor declined."""
        return self.filter(done_at=None, dismissed_at=None)


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
    dismissed_at = models.DateTimeField(
        pgettext_lazy("erasure request", "declined"), null=True, blank=True
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declined by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Why it was declined, as the requester was told.
    reason = models.TextField(_("reason"), blank=True)
    # The uploads kept unchanged that may name the person (`erasure_files`): what record,
    # which file, why; nothing of the person.
    files_to_check = models.JSONField(
        _("files to check by hand"), default=list, blank=True, editable=False
    )

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            # One open request per person: asking again only confirms the first.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(
                    done_at__isnull=True, dismissed_at__isnull=True, person__isnull=False
                ),
                name="erasure_request_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["invitation"],
                condition=models.Q(
                    done_at__isnull=True, dismissed_at__isnull=True, invitation__isnull=False
                ),
                name="erasure_request_one_open_per_invitation",
            ),
            models.CheckConstraint(
                condition=models.Q(dismissed_at__isnull=True) | models.Q(done_at__isnull=True),
                name="erasure_request_done_or_declined",
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
        return self.done_at is None and self.dismissed_at is None

    @property
    def is_dismissed(self):
        return self.dismissed_at is not None

    @property
    def state(self) -> str:
        """open, erased or dismissed (the API's word)."""
        if self.done_at is not None:
            return "erased"
        return "dismissed" if self.dismissed_at is not None else "open"
