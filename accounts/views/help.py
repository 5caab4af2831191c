"""帮助中心 (INS-12) for doctors: an answer of the 热点问题 (public), 我要提问 and the doctor's own questions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from institutions.views.tables import paginate

from ..decorators import doctor_required
from ..faq import DOCTOR, faq_get
from ..forms.help import QuestionForm
from ..selectors import question_list_for
from ..services.help import question_ask
from . import layout_for

ASKED = _("您的问题已提交，我们会第一时间为您解答。")


def help_faq(request, slug):
    """One answer of the 热点问题 / 系统操作指南, open to everyone like the 帮助中心."""
    faq = faq_get(audience=DOCTOR, slug=slug)
    if faq is None:
        raise Http404
    return render(request, "accounts/help/faq.html", {"faq": faq, "layout": layout_for(request.user)})


def question_form_handled(request, *, done_url: str, asked_message):
    """我要提问 / 向客服提问, for doctors and officers alike: (form, redirect once asked, else None)."""
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question_ask(asker=request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, asked_message)
            return form, redirect(done_url)
    return form, None


@doctor_required
def help_ask(request):
    """我要提问: the form (POST asks) and the doctor's questions with their replies."""
    form, done = question_form_handled(request, done_url="accounts:help_ask", asked_message=ASKED)
    if done is not None:
        return done
    context = {"form": form, "page": paginate(request, question_list_for(user=request.user))}
    return render(request, "accounts/help/ask.html", context)


@doctor_required
def help_question(request, pk):
    """One of the doctor's own questions and its reply (another's is a 404)."""
    question = get_object_or_404(question_list_for(user=request.user), pk=pk)
    return render(request, "accounts/help/question.html", {"question": question})


urlpatterns = [
    path("help/faq/<slug:slug>/", help_faq, name="help_faq"),
    path("help/ask/", help_ask, name="help_ask"),
    path("help/questions/<int:pk>/", help_question, name="help_question"),
]
