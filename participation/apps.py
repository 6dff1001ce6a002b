from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")

    def ready(self):
        # Registers the audited models (they must be loaded) and the deployment checks.
        from . import audit, checks  # noqa: F401, PLC0415
