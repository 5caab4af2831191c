"""INS-12: the 向客服提问 / 我要提问 form, shared by the console and the doctor's 帮助中心."""

from django import forms
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused

from ..services.help import DESCRIPTION_MAX, TITLE_MAX, question_text_clean


class QuestionForm(forms.Form):
    """The seed's two fields; the text is normalised (NFKC) and invisible characters are refused."""

    title = forms.CharField(label=_("请输入问题标题"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("问题详细描述"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("最多1000个字。"),  # DESCRIPTION_MAX; a literal so that the text stays translatable
    )

    def _clean_text(self, name, label, max_length):
        try:
            return question_text_clean(self.cleaned_data.get(name), label=label, max_length=max_length)
        except TransitionRefused as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def clean_title(self):
        return self._clean_text("title", _("问题标题"), TITLE_MAX)

    def clean_description(self):
        return self._clean_text("description", _("问题详细描述"), DESCRIPTION_MAX)
