"""Login (ACC-2) and the choice of page frame per audience; the area modules hold the rest."""

from django.contrib.auth import views as auth_views

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


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(announcements=list(announcement_list_current()), **kwargs)
