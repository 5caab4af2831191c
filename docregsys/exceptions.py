"""The one domain exception: a service refuses an action, with a Chinese message for the user."""

from django.utils.translation import gettext_lazy as _


class TransitionRefused(Exception):
    """A rule refused the action. Views show `message` next to `field` (or above the form), the API
    answers 400 with {"errors": [{"field", "code", "message"}]}, the admin uses message_user()."""

    def __init__(self, message=None, *, code: str = "refused", field: str | None = None, status: int = 400):
        self.message = message or _("操作未能完成。")
        self.code = code
        self.field = field
        self.status = status
        super().__init__(str(self.message))

    def add_to_form(self, form) -> None:
        """Put the refusal on the form field it concerns (or on the form) so the page re-renders with it."""
        field = self.field if self.field in getattr(form, "fields", {}) else None
        form.add_error(field, self.message)
