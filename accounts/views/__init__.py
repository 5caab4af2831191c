"""Login (ACC-2) and the choice of page frame per audience; the area modules hold the rest."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
    """机构端入口: the institution console's login page (seed 002 chapter 3)."""
    return reverse("console:login")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            announcements=list(announcement_list_current()), console_url=console_entrance_url(), **kwargs
        )

    def get_success_url(self):
        # INS-9: a password the institution reset (sent by SMS/e-mail) is changed before anything else.
        user = self.request.user
        if user.is_doctor and user.must_change_password:
            messages.warning(self.request, _("您的登录密码已由执业机构重置，请先修改密码。"))
            return reverse("accounts:password_change")
        return super().get_success_url()
