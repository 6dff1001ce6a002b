"""A person's subscribable calendar feed (a secret address, stored hashed)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participation.models import (
    PersonalLink,
)


class CalendarSubscription(PersonalLink):
    """A user's secret calendar address: the feed of the meetings of the bodies they sit in
    (or of one of them), for calendar programs that cannot sign in. Only the token's hash is
    stored; rotating revokes the old address and gives a new one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="meeting_calendar_subscriptions",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self):
        return gettext("Calendar subscription of %(user)s") % {"user": self.user}

    def link_usable(self, *, now) -> bool:
        return super().link_usable(now=now) and self.user.is_active


# --- date polls (Terminumfrage) --------------------------------------------------------------
