"""Login (ACC-2) and the choice of page frame per audience; the area modules hold the rest."""

from django.contrib.auth import views as auth_views
from django.urls import NoReverseMatch, reverse

from docregsys.reference.selectors import announcement_list_current

from ..forms import LoginForm


def layout_for(user) -> str:
    """The page frame for this audience: the public one, the doctor's (left menu) or the officer's."""
    if user.is_authenticated and not user.is_superuser:
        if user.is_doctor:
            return "layouts/doctor.html"
        if user.is_officer:
            return "layouts/officer.html"
    return "layouts/public.html"


def console_entrance_url() -> str:
    """机构端入口: the institution console's login page (seed 002 chapter 3).

    The console's login page (url name console:login) comes with the console entrance work; until that
    name resolves the entrance is its fixed path, the /institution/ prefix every console page lives under.
    """
    try:
        return reverse("console:login")
    except NoReverseMatch:
        return "/institution/"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            announcements=list(announcement_list_current()), console_url=console_entrance_url(), **kwargs
        )
