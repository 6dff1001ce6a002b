from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Social monitoring")

    def ready(self):
        from . import audit  # noqa: F401, PLC0415 - registers audited models; needs them loaded
