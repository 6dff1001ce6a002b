from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")

    def ready(self):
        # audit registers the audited models, retention the check of RETENTION_DAYS, checks
        # the deployment checks; all need the models loaded.
        from . import audit, checks, retention, security_signals  # noqa: F401, PLC0415

        security_signals.connect()
