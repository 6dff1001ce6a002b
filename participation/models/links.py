"""Personal links: a link that lets someone without an account act on one thing (an
invitation, a date poll, a statement request, a task) until it expires or is revoked.

A model of the base or of a feature app inherits `PersonalLink` (abstract) and adds what the
link leads to; `participation.personal_links` issues, resolves and revokes them. Only the
SHA-256 of the random token is stored: the token itself exists only in the mail or page
that hands it out."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalLink(models.Model):
    # Null for a row that carries no link (an invitation's cancellation message).
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(
        _("link expires"),
        null=True,
        blank=True,
        help_text=_("Empty: the link lasts as long as what it leads to allows."),
    )
    used_at = models.DateTimeField(_("link first opened"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True)

    class Meta:
        abstract = True

    def link_usable(self, *, now) -> bool:
        """Whether the link still works at `now`. A subclass adds its target's own rule
        (an invitation's link ends with its event) and calls this one too."""
        if self.token_hash is None or self.revoked_at is not None:
            return False
        return self.expires_at is None or now <= self.expires_at
