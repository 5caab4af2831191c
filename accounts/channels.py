"""The two contact channels, phone and e-mail (ACC-4, ACC-6, ACC-7), described once.

Verification, change and recovery work the same way for both; what differs is data: the user's field,
the validator, the mask, how values compare, the message channel and the wording. Services, views,
API views, forms and templates take a `ContactChannel` instead of being written twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from docregsys.identity.crypto import mask_email, mask_phone
from docregsys.identity.validators import validate_email_address, validate_mobile

from .models import Channel


@dataclass(frozen=True)
class PageText:
    """The wording of one code page (验证… or 更换…)."""

    title: Promise
    intro_heading: Promise | str
    tips: tuple
    send_label: Promise
    done: Promise
    fallback_text: Promise | str = ""
    fallback_url: str = ""  # URL name


@dataclass(frozen=True)
class ContactChannel:
    """Everything that differs between the phone and the e-mail address of an account."""

    name: str  # the user attribute, and the field name in forms, API bodies and refusals
    message_channel: str  # Channel.SMS or Channel.EMAIL
    validate: Callable[[str], str]  # the kernel validator: returns the normalised value
    mask: Callable[[str], str]
    case_insensitive: bool  # e-mail addresses compare without case (the unique index is on Lower)
    max_length: int
    input_attrs: dict
    # Wording: refusals and notices (services).
    taken: Promise
    already_verified: Promise
    not_verified: Promise
    same: Promise
    changed_notice: Promise  # formatted with {name: masked new value}
    recover_sent: Promise
    # Wording: pages and forms.
    label: Promise  # 手机号码 / 电子邮箱
    required_message: Promise
    send_label: Promise  # the send form's field on the verification page
    send_help: Promise | str
    change_label: Promise  # the new value on the change page
    code_label: Promise
    verified_label: Promise  # 已校验手机：
    unverified_label: Promise  # 我的手机：
    verify_url: str
    change_url: str
    verified_info: Promise
    verify_title: Promise
    verify_heading: Promise
    verify_tips: tuple
    verify_send_label: Promise
    verify_done: Promise
    fallback_text: Promise  # where to go when this channel does not work
    fallback_url: str
    change_title: Promise
    change_tips: tuple
    change_send_label: Promise
    change_done: Promise
    recover_title: Promise
    recover_intro: Promise
    recover_url: str
    recover_code_url: str
    security_tab: str  # the query string of this channel's tab on 安全设置

    @property
    def verified_at_field(self) -> str:
        return f"{self.name}_verified_at"

    def value_of(self, user) -> str:
        return getattr(user, self.name) or ""

    def is_verified(self, user) -> bool:
        return bool(self.value_of(user)) and getattr(user, self.verified_at_field) is not None

    def fold(self, value: str) -> str:
        """The form in which two values are the same address."""
        value = (value or "").strip()
        return value.lower() if self.case_insensitive else value

    def page(self, mode: str) -> PageText:
        """The wording of the 验证 (mode "verify") or 更换 (mode "change") page."""
        if mode == "verify":
            return PageText(
                self.verify_title,
                self.verify_heading,
                self.verify_tips,
                self.verify_send_label,
                self.verify_done,
                self.fallback_text,
                self.fallback_url,
            )
        return PageText(self.change_title, "", self.change_tips, self.change_send_label, self.change_done)

    def lookup(self, value: str) -> dict:
        """Queryset filter: accounts whose verified value is this one."""
        key = f"{self.name}__iexact" if self.case_insensitive else self.name
        return {key: value, f"{self.verified_at_field}__isnull": False}


# One row per attribute: (phone, e-mail). Side by side, so that the two can be compared at a glance.
_TABLE = {
    "name": ("phone", "email"),
    "message_channel": (Channel.SMS, Channel.EMAIL),
    "validate": (validate_mobile, validate_email_address),
    "mask": (mask_phone, mask_email),
    "case_insensitive": (False, True),
    "max_length": (20, 254),
    "input_attrs": (
        {"type": "tel", "inputmode": "numeric", "autocomplete": "tel"},
        {"type": "email", "autocomplete": "email", "autocapitalize": "none"},
    ),
    "taken": (
        _("该手机号码已被其他账户验证使用，请更换手机号码。"),
        _("该邮箱已被其他账户验证使用，请更换邮箱。"),
    ),
    "already_verified": (
        _("您的手机号码已通过验证；如需更换，请使用“更换手机号”。"),
        _("您的邮箱已通过验证；如需更换，请使用“更换邮箱”。"),
    ),
    "not_verified": (_("您的手机号码尚未验证，请先验证手机。"), _("您的邮箱尚未验证，请先验证邮箱。")),
    "same": (_("新手机号码与当前已验证的手机号码相同。"), _("新邮箱与当前已验证的邮箱相同。")),
    "changed_notice": (
        _("【医师电子化注册】您账户绑定的手机号码已更换为 %(phone)s。如非本人操作，请立即联系所在医疗机构。"),
        _("【医师电子化注册】您账户绑定的电子邮箱已更换为 %(email)s。如非本人操作，请立即联系所在医疗机构。"),
    ),
    "recover_sent": (
        _("如果该手机号码已通过验证，校验码已发送，5 分钟内有效。"),
        _("如果该邮箱已通过验证，校验码已发送，5 分钟内有效。"),
    ),
    "label": (_("手机号码"), _("电子邮箱")),
    "required_message": (_("请输入手机号码。"), _("请输入电子邮箱。")),
    "send_label": (_("我的手机"), _("我的邮箱")),
    "send_help": (_("请填入注册时录入的手机号；如有错误，可在验证前更正。"), ""),
    "change_label": (_("新手机号码"), _("新邮箱")),
    "code_label": (_("请填写手机校验码"), _("请填写邮箱校验码")),
    "verified_label": (_("已校验手机："), _("已校验邮箱：")),
    "unverified_label": (_("我的手机："), _("我的邮箱：")),
    "verify_url": ("accounts:verify_phone", "accounts:verify_email"),
    "change_url": ("accounts:change_phone", "accounts:change_email"),
    "verified_info": (_("您的手机号码已通过验证。"), _("您的邮箱已通过验证。")),
    "verify_title": (_("验证手机"), _("验证邮箱")),
    "verify_heading": (_("验证手机号码："), _("验证电子邮箱：")),
    "verify_tips": (
        (
            _("为了您的账户安全，请验证您的手机号码；"),
            _("手机通过验证后，可通过手机找回您的登录账户；"),
            _("手机通过验证后，可使用手机号码作为登录用户名登录本系统。"),
        ),
        (
            _("为了您的账户安全，请验证您的电子邮箱；"),
            _("邮箱通过验证后，可通过邮箱找回您的登录账户；"),
            _("手机无法接收校验码短信时，验证邮箱同样可以继续激活账户。"),
        ),
    ),
    "verify_send_label": (_("向手机发送校验码"), _("向邮箱发送校验码")),
    "verify_done": (_("手机号码验证成功。"), _("邮箱验证成功。")),
    "fallback_text": (_("如果您的手机不能接收到校验码短信，请您点击此处进行邮箱的验证。"), _("返回手机验证")),
    "fallback_url": ("accounts:verify_email", "accounts:verify_phone"),
    "change_title": (_("更换手机号"), _("更换邮箱")),
    "change_tips": (
        (
            _("请输入当前登录密码和新的手机号码，校验码将发送到新手机；"),
            _("填写新手机收到的校验码并确定后，手机号码才会更换，原手机将收到更换提醒。"),
        ),
        (
            _("请输入当前登录密码和新的电子邮箱，校验码将发送到新邮箱；"),
            _("填写新邮箱收到的校验码并确定后，邮箱才会更换，原邮箱将收到更换提醒。"),
        ),
    ),
    "change_send_label": (_("向新手机发送校验码"), _("向新邮箱发送校验码")),
    "change_done": (_("手机号码已更换。"), _("邮箱已更换。")),
    "recover_title": (_("通过手机找回"), _("通过邮箱找回")),
    "recover_intro": (
        _("手机号必须已经通过验证才能通过此方式找回登录账户！"),
        _("邮箱必须已经通过验证才能通过此方式找回登录账户！"),
    ),
    "recover_url": ("accounts:recover_phone", "accounts:recover_email"),
    "recover_code_url": ("accounts:recover_phone_code", "accounts:recover_email_code"),
    "security_tab": ("", "?tab=email"),
}

PHONE, EMAIL = (ContactChannel(**{key: pair[i] for key, pair in _TABLE.items()}) for i in (0, 1))
CHANNELS = {channel.name: channel for channel in (PHONE, EMAIL)}
