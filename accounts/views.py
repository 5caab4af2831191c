"""Home and login pages."""

from django.contrib.auth import views as auth_views
from django.shortcuts import render

from approvals.selectors import announcement_list_current


def home(request):
    return render(request, "home.html", {"announcements": announcement_list_current()})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(announcements=announcement_list_current(), **kwargs)
