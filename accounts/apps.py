"""App config for accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户")

    def ready(self):
        # The session clock starts at login (docregsys.middleware's user_logged_in receiver): connect it when
        # the apps load, not when the first request imports the middleware — a login before any request
        # (a worker's first test, a management command) would otherwise leave the clock unset.
        from docregsys import middleware  # noqa: F401
