"""Console pages: 综合信息 → 客服中心 (INS-12): 常见问题列表, 向客服提问 and the officer's own questions."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.faq import OFFICER, faq_get, faq_list_for
from accounts.selectors import question_list_for
from accounts.views.help import question_form_handled

from . import officer_required
from .tables import paginate

ASKED = _("您的问题已提交，客服人员将第一时间回答您的问题。")


@officer_required
def help_centre(request):
    """客服中心: the FAQ table, the 向客服提问 form (POST asks) and the officer's questions with replies."""
    form, done = question_form_handled(request, done_url="console:help", asked_message=ASKED)
    if done is not None:
        return done
    context = {
        "faqs": faq_list_for(OFFICER),
        "form": form,
        "page": paginate(request, question_list_for(user=request.user)),
    }
    return render(request, "institutions/help/centre.html", context)


@officer_required
def help_faq(request, slug):
    """详情: one answer of the 常见问题列表."""
    faq = faq_get(audience=OFFICER, slug=slug)
    if faq is None:
        raise Http404
    return render(request, "institutions/help/faq.html", {"faq": faq})


@officer_required
def help_question(request, pk):
    """查看回复详情: one of the officer's own questions (another's is a 404)."""
    question = get_object_or_404(question_list_for(user=request.user), pk=pk)
    return render(request, "institutions/help/question.html", {"question": question})


urlpatterns = [
    path("help/", help_centre, name="help"),
    path("help/faq/<slug:slug>/", help_faq, name="help_faq"),
    path("help/questions/<int:pk>/", help_question, name="help_question"),
]
