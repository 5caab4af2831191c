"""The one domain exception: a service refuses an action, with a code and a Chinese message for the user."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class TransitionRefused(Exception):
    """A rule refused the action: a stable `code`, a message for the person and the `field` it concerns.

    It says nothing about HTTP: each interface turns the code into its own answer in one place — the
    API's exception handler (`docregsys.api.REFUSAL_STATUS`), `add_to_form` for pages, message_user()
    in the admin.
    """

    def __init__(self, message=None, *, code: str = "refused", field: str | None = None):
        self.message = message or _("操作未能完成。")
        self.code = code
        self.field = field
        super().__init__(str(self.message))

    def add_to_form(self, form, *, fields: dict[str, str] | None = None) -> None:
        """Put the refusal on the form field it concerns (or on the form) so the page re-renders with it.

        `fields` names the form's field for a service's field where the two differ (new_password → new_password1).
        """
        field = (fields or {}).get(self.field, self.field)
        form.add_error(field if field in getattr(form, "fields", {}) else None, self.message)


@contextmanager
def refused_on(field: str | None, *, code: str | None = None):
    """In a service: a kernel validator's ValidationError (``refuse_invisible``, ``validate_*``) becomes a
    TransitionRefused on ``field``, with the validator's message and code (as docregsys.api.django_validator
    does for serializers)::

        with refused_on("title"):
            refuse_invisible(title, label=_("标题"))
    """
    try:
        yield
    except ValidationError as exc:
        raise TransitionRefused(exc.messages[0], code=code or exc.code or "invalid", field=field) from None
