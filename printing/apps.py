"""App config for printing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "printing"
    verbose_name = _("打印")

    def ready(self):
        # Each kind of document registers itself in printing.kinds when its module loads.
        from . import application_forms, certificates, score_reports  # noqa: F401
