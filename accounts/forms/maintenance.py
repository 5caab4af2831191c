"""REG-8 信息维护 forms: 信息修改 (学历, 毕业学校, 所学专业, 任职资格) and 点击上传相片."""

from django import forms
from django.utils.translation import gettext_lazy as _

from docregsys.identity.validators import PHOTO_MAX_BYTES
from docregsys.reference.models import Title
from registrations.services.profile import EDUCATION_LEVELS, FIELD_LIMITS


class ProfileInfoForm(forms.Form):
    """The requested values; the service normalises and checks them again (one rule for page and API)."""

    school = forms.CharField(label=_("毕业学校"), max_length=FIELD_LIMITS["school"])
    education = forms.ChoiceField(label=_("学历"), choices=[("", "——")] + [(v, v) for v in EDUCATION_LEVELS])
    major = forms.CharField(label=_("所学专业"), max_length=FIELD_LIMITS["major"])
    title = forms.ChoiceField(label=_("任职资格"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(Title.objects.values_list("name", flat=True))
        self.fields["title"].choices = [("", "——")] + [(n, n) for n in names]


class ProfilePhotoForm(forms.Form):
    """The photo as uploaded: decoded, checked and re-encoded by the service (never trusted by its name)."""

    photo = forms.FileField(
        label=_("相片"),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png"}),
        error_messages={"required": _("请选择要上传的相片。")},
    )

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if photo.size > PHOTO_MAX_BYTES:  # before reading it into memory
            raise forms.ValidationError(
                _("照片不能超过80KB，当前文件为%(kb)dKB。") % {"kb": (photo.size + 1023) // 1024},
                code="photo_too_large",
            )
        return photo
