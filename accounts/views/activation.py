"""ACC-5 医师账户激活: step 1 (check and phone), step 2 (the one path that fits this doctor), path d."""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from docregsys.exceptions import TransitionRefused

from ..decorators import doctor_required
from ..forms.activation import FORMS
from ..selectors import activation_route_for, may_file_before_activation
from ..services.activation import (
    account_activate_with_certificate,
    account_activate_with_code,
    account_activate_with_ticket,
    activation_refusal,
)

SERVICES = {
    "code": lambda user, data: account_activate_with_code(user=user, code=data["code"]),
    "certificate": lambda user, data: account_activate_with_certificate(user=user, number=data["number"]),
    "ticket": lambda user, data: account_activate_with_ticket(user=user, ticket=data["ticket"]),
}


@doctor_required
@require_http_methods(["GET", "POST"])
def activation(request):
    """医师账户激活: what is done, what is missing, and the form of the path that applies."""
    user = request.user
    context = {"activated": user.is_activated}
    if user.is_activated:
        return render(request, "accounts/activation/page.html", context)
    route = activation_route_for(user=user)
    chosen = route.path
    may_try = activation_refusal(user) is None
    form = FORMS[chosen]() if chosen else None
    if request.method == "POST":
        if not may_try or chosen is None or request.POST.get("path") != chosen:
            return HttpResponseBadRequest(_("该激活方式不适用于您的账户。"))
        form = FORMS[chosen](request.POST)
        if form.is_valid():
            try:
                SERVICES[chosen](user, form.cleaned_data)
            except TransitionRefused as exc:
                exc.add_to_form(form)
            else:
                messages.success(request, _("您的账户已激活"))
                return redirect("home")
    context.update(
        checked=user.checked_at is not None,
        phone_verified=user.phone_verified,
        email_verified=user.email_verified,
        may_try=may_try,
        route=route,
        form=form,
        may_file=may_file_before_activation(user),
    )
    return render(request, "accounts/activation/page.html", context)


urlpatterns = [
    path("activation/", activation, name="activation"),
]
