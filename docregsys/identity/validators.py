"""Identity and input rules ID-1…ID-7 (SPEC §3): one place used by forms, serializers and imports.

Each validator raises `django.core.exceptions.ValidationError` with a Chinese message that
says exactly what is wrong, and a stable `code`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError
from stdnum import numdb
from stdnum.cn import ric

from docregsys.identity.crypto import IdType
from docregsys.identity.normalize import (
    normalize_id_number,
    normalize_phone,
    normalize_text,
    refuse_invisible,
)

# ---------------------------------------------------------------- ID-1 ID numbers

_RESIDENT_SHAPE = re.compile(r"^\d{17}[\dX]$")
_ALNUM = re.compile(r"^[A-Z0-9]+$")

# Lengths of the other document types, from the exam centre's field table (seed 004).
_OTHER_ID_LENGTHS: dict[str, tuple[int, int | None]] = {
    IdType.TW_PERMIT: (10, 10),
    IdType.TW_ID: (10, 10),
    IdType.HK_MO_PERMIT: (11, 11),
    IdType.HK_ID: (8, 9),
    IdType.MO_ID: (8, 8),
    IdType.PASSPORT: (6, 20),
    IdType.MILITARY: (4, 20),
}


@lru_cache(maxsize=8192)
def _region_code_ever_existed(code: str) -> bool:
    """The 6-digit code appears in stdnum's GB/T 2260 table, in any period.

    A card keeps the code in force when it was first issued, which may be younger than its
    holder (510107 dates from 1990, its holders from earlier): stdnum's own check against the
    birth year would refuse real numbers. Cached: an import meets the same few thousand codes.
    """
    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    region_code: str


def validate_resident_id(value: str, *, today: dt.date | None = None) -> ResidentId:
    """ID-1: an 18-character GB 11643 number; returns it normalised with birth date and sex."""
    number = normalize_id_number(value)
    if not number:
        raise ValidationError(_("请输入身份证号码。"), code="required")
    refuse_invisible(number, label=gettext_lazy("身份证号码"))
    if len(number) == 15 and number.isdigit():
        raise ValidationError(
            _("不支持15位身份证号码（已停用），请输入18位居民身份证号码。"), code="id_15_digits"
        )
    if len(number) != 18:
        raise ValidationError(
            _("身份证号码应为18位，您输入了%(n)d位。") % {"n": len(number)}, code="id_length"
        )
    if not _RESIDENT_SHAPE.match(number):
        raise ValidationError(
            _("身份证号码前17位应为数字，最后一位为数字或字母X，不能含空格或标点。"), code="id_characters"
        )
    try:
        birth_date = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("身份证号码第7至14位的出生日期%(d)s不是有效日期。") % {"d": number[6:14]}, code="id_birth_date"
        ) from None
    today = today or dt.date.today()
    if birth_date > today or birth_date.year < 1900:
        raise ValidationError(
            _("身份证号码第7至14位的出生日期%(d)s不在合理范围内。") % {"d": number[6:14]},
            code="id_birth_date",
        )
    if not _region_code_ever_existed(number[:6]):
        raise ValidationError(
            _("身份证号码前6位的地区代码%(c)s不存在。") % {"c": number[:6]}, code="id_region"
        ) from None
    # calc_check_digit wants 18 characters and ignores the last (STACK.md trap).
    if ric.calc_check_digit(number[:17] + "0") != number[17]:
        raise ValidationError(_("身份证号码校验位（最后一位）不正确，请仔细核对。"), code="id_check_digit")
    return ResidentId(
        number=number,
        birth_date=birth_date,
        sex="M" if int(number[16]) % 2 else "F",
        region_code=number[:6],
    )


def validate_id_number(id_type: str, value: str) -> str:
    """ID-1 for every document type; returns the normalised number."""
    if id_type == IdType.RESIDENT:
        return validate_resident_id(value).number
    number = normalize_id_number(value)
    label = IdType(id_type).label if id_type in IdType.values else _("证件")
    if not number:
        raise ValidationError(_("请输入%(t)s号码。") % {"t": label}, code="required")
    refuse_invisible(number, label=gettext_lazy("证件号码"))
    if id_type not in _OTHER_ID_LENGTHS:
        raise ValidationError(_("不支持的证件类型。"), code="id_type")
    if not _ALNUM.match(number):
        raise ValidationError(
            _("%(t)s号码只能由字母和数字组成，不能含空格、括号或标点。") % {"t": label}, code="id_characters"
        )
    low, high = _OTHER_ID_LENGTHS[id_type]
    if low == high and len(number) != low:
        raise ValidationError(
            _("%(t)s号码应为%(n)d位，您输入了%(got)d位。") % {"t": label, "n": low, "got": len(number)},
            code="id_length",
        )
    if not (low <= len(number) <= (high or 99)):
        raise ValidationError(
            _("%(t)s号码应为%(low)d至%(high)d位，您输入了%(got)d位。")
            % {"t": label, "low": low, "high": high, "got": len(number)},
            code="id_length",
        )
    return number


# ---------------------------------------------------------------- ID-2 real names

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_MAINLAND_NAME = re.compile(rf"^[{_HAN}]+(?:·[{_HAN}]+)*$")
_FOREIGN_NAME = re.compile(r"^[A-Za-z]+(?: [A-Za-z]+)*$")
NAME_MAX = 28


def validate_real_name(value: str, *, mainland: bool = True) -> str:
    """ID-2: Chinese characters only (a minority-name middle dot allowed), at most 28; returns it normalised."""
    name = normalize_text(value)
    if not name:
        raise ValidationError(_("请输入姓名。"), code="required")
    refuse_invisible(name, label=gettext_lazy("姓名"))
    if mainland:
        # Seed 004 asks minority names to type the dot as "." — store the proper middle dot.
        name = name.replace(".", "·").replace("•", "·").replace("・", "·")
        if len(name) > NAME_MAX:
            raise ValidationError(
                _("姓名不能超过%(n)d个汉字，您输入了%(got)d个。") % {"n": NAME_MAX, "got": len(name)},
                code="name_length",
            )
        if re.search(r"[A-Za-z0-9]", name):
            raise ValidationError(
                _("姓名只能是汉字，不能包含字母或数字（姓名不是登录用户名）。"), code="name_characters"
            )
        if re.search(r"\s", name):
            raise ValidationError(_("姓名的汉字之间不能有空格。"), code="name_characters")
        if not _MAINLAND_NAME.match(name):
            raise ValidationError(
                _("姓名只能是汉字，少数民族姓名中间可用“·”分隔，不能包含其他符号。"), code="name_characters"
            )
        return name
    if len(name) > NAME_MAX:
        raise ValidationError(_("姓名不能超过%(n)d个字符。") % {"n": NAME_MAX}, code="name_length")
    if not _FOREIGN_NAME.match(name):
        raise ValidationError(_("姓名只能由英文字母和空格组成。"), code="name_characters")
    return name


# ---------------------------------------------------------------- ID-3 usernames

_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9]{5,11}$")


def validate_username(value: str) -> str:
    """ID-3: starts with a letter, 6–12 letters and digits."""
    username = normalize_text(value)
    if not username:
        raise ValidationError(_("请输入用户名。"), code="required")
    refuse_invisible(username, label=gettext_lazy("用户名"))
    if not username[0].isascii() or not username[0].isalpha():
        raise ValidationError(_("用户名必须以英文字母开头。"), code="username_start")
    if not re.fullmatch(r"[A-Za-z0-9]+", username):
        raise ValidationError(_("用户名只能由英文字母和数字组成。"), code="username_characters")
    if not _USERNAME.match(username):
        raise ValidationError(
            _("用户名长度应为6至12位，您输入了%(n)d位。") % {"n": len(username)}, code="username_length"
        )
    return username


# ---------------------------------------------------------------- ID-4 passwords


# SPEC §12: a password is at most 128 characters (a 1 MB "password" would be hashed as given).
PASSWORD_MAX_LENGTH = 128
# The image captcha: the key django-simple-captcha issues (40 hex) and the characters typed.
CAPTCHA_KEY_MAX_LENGTH = 40
CAPTCHA_VALUE_MAX_LENGTH = 32


def with_max_length(field, limit: int):
    """Give a form field built by Django or a package (password pairs, captcha parts) a maximum length (X-4)."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs.setdefault("maxlength", str(limit))
    return field


def bounded_captcha(field):
    """The captcha's two inputs (key, typed characters) bounded like every other field."""
    with_max_length(field.fields[0], CAPTCHA_KEY_MAX_LENGTH)
    with_max_length(field.fields[1], CAPTCHA_VALUE_MAX_LENGTH)
    return field


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """ID-4: Django's length rule with a Chinese message (Django's zh-hans catalogue lacks this plural form)."""

    def get_error_message(self):
        return _("密码长度不能少于%(min_length)d位。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码长度不能少于%(min_length)d位。") % {"min_length": self.min_length}


class LettersAndDigitsPasswordValidator:
    """ID-4: a password holds both letters and digits (length and the rest: Django's validators)."""

    def validate(self, password, user=None):
        if not (re.search(r"[A-Za-z]", password or "") and re.search(r"\d", password or "")):
            raise ValidationError(_("密码必须同时包含字母和数字。"), code="password_letters_digits")

    def get_help_text(self):
        return _("密码至少8位，须同时包含字母和数字，区分大小写。")


# ---------------------------------------------------------------- ID-5 mobile and e-mail


def validate_mobile(value: str) -> str:
    """ID-5: an 11-digit mainland mobile number in the current numbering plan; returns it in ASCII digits."""
    number = normalize_phone(value)
    if not number:
        raise ValidationError(_("请输入手机号码。"), code="required")
    refuse_invisible(number, label=gettext_lazy("手机号码"))
    # str.isdigit() is true for "¹" or "፩" too: only ASCII digits may reach phonenumbers.
    if not (number.isascii() and number.isdigit()):
        raise ValidationError(_("手机号码只能由数字组成。"), code="mobile_characters")
    if len(number) != 11:
        raise ValidationError(
            _("手机号码应为11位数字，您输入了%(n)d位。") % {"n": len(number)}, code="mobile_length"
        )
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("%(n)s不是有效的中国大陆手机号码。") % {"n": number}, code="mobile_invalid"
        ) from None
    kind = phonenumbers.number_type(parsed)
    if not phonenumbers.is_valid_number(parsed) or kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(_("%(n)s不是有效的中国大陆手机号码。") % {"n": number}, code="mobile_invalid")
    return number


_email_validator = EmailValidator()


def validate_email_address(value: str) -> str:
    """ID-5: 5–60 characters, a valid address without invisible characters; returns it NFKC, lower case."""
    email = normalize_text(value)
    if not email:
        raise ValidationError(_("请输入电子邮箱。"), code="required")
    refuse_invisible(email, label=gettext_lazy("电子邮箱"))
    if not 5 <= len(email) <= 60:
        raise ValidationError(
            _("电子邮箱长度应为5至60个字符，您输入了%(n)d个。") % {"n": len(email)}, code="email_length"
        )
    try:
        _email_validator(email)
    except ValidationError:
        raise ValidationError(
            _("电子邮箱格式不正确，例如：name@example.com。"), code="email_invalid"
        ) from None
    return email.lower()


# ---------------------------------------------------------------- ID-6 photos, ID-7 attachments

PHOTO_SIZE = (354, 472)
PHOTO_MAX_BYTES = 80 * 1024
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png"}


def _read(upload) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return data


# Decompression bombs (a 20000×20000 PNG of a few KB): the size is read from the header and refused before
# any pixel is decoded. Pillow's own guard (MAX_IMAGE_PIXELS, an error at twice the limit) stays on as well.
MAX_IMAGE_PIXELS = 40_000_000  # a 6000×6000 A4 scan at 600 dpi fits
if Image.MAX_IMAGE_PIXELS is None or Image.MAX_IMAGE_PIXELS > MAX_IMAGE_PIXELS:
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def _undecodable() -> ValidationError:
    return ValidationError(_("文件无法识别为图片，可能已损坏或不是JPG/PNG格式。"), code="image_undecodable")


def _decode_image(data: bytes, *, before_load=None) -> Image.Image:
    """Open the header, check the pixel count (and `before_load(image)`), then decode the pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("图片像素过多，无法处理。"), code="image_too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _undecodable() from None
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(_("图片像素过多，无法处理。"), code="image_too_many_pixels")
    if before_load is not None:
        before_load(image)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # structure check; the image must be reopened after verify()
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _undecodable() from None
    return image


def _check_photo_header(image: Image.Image) -> None:
    if image.format not in _IMAGE_FORMATS:
        raise ValidationError(
            _("照片必须是JPG/JPEG或PNG格式，当前文件实际是%(f)s格式。") % {"f": image.format or _("未知")},
            code="photo_format",
        )
    if image.size != PHOTO_SIZE:
        raise ValidationError(
            _("照片尺寸应为354×472像素（宽×高），当前为%(w)d×%(h)d像素。")
            % {"w": image.size[0], "h": image.size[1]},
            code="photo_dimensions",
        )


def _photo_image(upload) -> Image.Image:
    data = _read(upload)
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("照片不能超过80KB，当前文件为%(kb)dKB。") % {"kb": (len(data) + 1023) // 1024},
            code="photo_too_large",
        )
    # Format and dimensions come from the header: a wrong or huge image is refused before decoding.
    image = _decode_image(data, before_load=_check_photo_header)
    if not _has_white_background(image):
        raise ValidationError(_("照片背景应为白色，请使用近期白底证件照。"), code="photo_background")
    return image


def validate_photo(upload) -> str:
    """ID-6: a 354×472 px JPG/PNG of at most 80 KB with a white background; returns the format's extension."""
    return _IMAGE_FORMATS[_photo_image(upload).format]


def photo_clean(upload) -> tuple[bytes, str]:
    """ID-6 and a fresh encoding of the pixels: no EXIF (GPS), comments or text chunks survive; (bytes, ext).

    Only the decoded pixels are written out again, so whatever else the file carried stays behind.
    """
    image = _photo_image(upload)
    ext = _IMAGE_FORMATS[image.format]
    pixels = Image.frombytes(image.mode, image.size, image.tobytes()) if image.mode != "P" else image.copy()
    pixels.info = {}
    if ext == "png":
        out = io.BytesIO()
        pixels.save(out, "PNG", optimize=True)
        if out.tell() <= PHOTO_MAX_BYTES:
            return out.getvalue(), "png"
    rgb = pixels.convert("RGB")
    for quality in (90, 85, 75, 65):
        out = io.BytesIO()
        rgb.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= PHOTO_MAX_BYTES:
            break
    return out.getvalue(), "jpg"


def _has_white_background(image: Image.Image) -> bool:
    """The two top corners (background, above the head) are near white."""
    gray = image.convert("L")
    w, h = gray.size
    box = max(8, w // 20)
    corners = [gray.crop((0, 0, box, box)), gray.crop((w - box, 0, w, box))]
    means = [sum(c.histogram()[i] * i for i in range(256)) / (box * box) for c in corners]
    return min(means) >= 215


def validate_attachment(upload, *, max_bytes: int = ATTACHMENT_MAX_BYTES) -> str:
    """ID-7: a JPG/PNG/PDF scan, size-limited, checked by its content; returns the real extension."""
    data = _read(upload)
    if not data:
        raise ValidationError(_("上传的文件是空的。"), code="attachment_empty")
    if len(data) > max_bytes:
        raise ValidationError(
            _("附件不能超过%(mb)dMB。") % {"mb": max_bytes // (1024 * 1024)}, code="attachment_too_large"
        )
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("PDF文件不完整或已损坏。"), code="attachment_pdf_broken")
        return "pdf"
    image = _decode_image(data)
    if image.format not in _IMAGE_FORMATS:
        raise ValidationError(
            _("附件必须是JPG、PNG或PDF格式，当前文件实际是%(f)s格式。") % {"f": image.format or _("未知")},
            code="attachment_format",
        )
    return _IMAGE_FORMATS[image.format]
