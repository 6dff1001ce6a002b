from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    name = "overview"
    verbose_name = _("Overview")

    def ready(self):
        from . import audit  # noqa: F401, PLC0415 - registers audited models; needs them loaded
