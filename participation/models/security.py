"""The security log: what an IT security officer asks about (sign-ins, failed sign-ins,
lock-outs, second-factor changes, role changes, exports, erasures, denied access), kept
apart from the audit trail of records so it can have its own period and its own readers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEventKind(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    LOCKED_OUT = "locked_out", _("Locked out")
    SIGNED_OUT = "signed_out", _("Signed out")
    SECOND_FACTOR_CHANGED = "second_factor_changed", _("Second factor changed")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    ROLE_CHANGED = "role_changed", _("Role changed")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    EXPORTED = "exported", _("Data exported")
    DATA_DOWNLOADED = "data_downloaded", _("Own data downloaded")
    ERASED = "erased", _("Personal data erased")
    ACCESS_DENIED = "access_denied", _("Access denied")


class SecurityEvent(models.Model):
    """One event. `user` is who it concerns (null for an unknown account); the address is the
    client's by the platform's one rule; `detail` holds what the kind needs (the export's
    name, the role before and after), never a password, token or a message's content."""

    kind = models.CharField(_("kind"), max_length=32, choices=SecurityEventKind.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("address on the platform"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "at"])]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
