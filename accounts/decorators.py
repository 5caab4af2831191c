"""Who may open a page: doctors only, and (ACC-5) activated doctors only for everything else."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .selectors import activation_next_step, may_file_before_activation


def doctor_required(view):
    """Logged-in doctors only (an officer or reviewer gets 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_doctor or request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def activated_required(view):
    """Doctors whose account is activated; the others get a page saying why and linking the next step."""

    @doctor_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        step = activation_next_step(request.user)
        if step is not None:
            return render(request, "accounts/activation_needed.html", {"step": step}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def applicant_required(view):
    """业务申请 and 业务查询: activated doctors, and before activation the doctors ACC-5d lets file (注册 and
    变更 only: the view checks the type). The others see why, as under `activated_required`."""

    @doctor_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        step = activation_next_step(request.user)
        if step is not None and not may_file_before_activation(request.user):
            return render(request, "accounts/activation_needed.html", {"step": step}, status=403)
        return view(request, *args, **kwargs)

    return wrapped
