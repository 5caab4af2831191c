"""Input normalisation (X-4): Unicode NFKC once, ASCII digits for numbers, no invisible characters.

Every value that is validated, hashed (the ID digest), compared or stored goes through here first,
so that `１３９…`, `¹³⁹…`, `①③⑨…` and `١٣٩…` are the same number as `139…`, and a name or an
address cannot carry characters the eye does not see.

Digits: NFKC already turns full-width, superscript and circled digits into ASCII ones. A decimal
digit of another script that NFKC keeps (Arabic-Indic `١`, Devanagari `१` …) is *mapped* to its
ASCII value with `unicodedata.decimal`: it is unambiguous (Unicode gives it exactly one value), and
it is what a phone keyboard set to such a locale types. A character that merely looks numeric but
has no decimal value (Ethiopic `፩`, `Ⅻ` → "XII") stays as it is, and the validator that expects
ASCII digits refuses it with its own message.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Default-ignorable code points outside category Cf that render as nothing (fillers, the combining
# grapheme joiner, variation selectors): invisible like a zero-width space.
_IGNORABLE_NON_CF = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, 0x2800]
    + list(range(0x180B, 0x1810))
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)
# Format (zero-width, bidi controls, BOM, soft hyphen …), controls, private use, surrogates, unassigned.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cs", "Cn"})


def nfkc(value: str | None) -> str:
    """The NFKC form of the value (None → "")."""
    return unicodedata.normalize("NFKC", value or "")


def ascii_digits(value: str | None) -> str:
    """NFKC, then every remaining decimal digit of any script as its ASCII digit; other characters kept."""
    text = nfkc(value)
    if text.isascii():
        return text
    out = []
    for char in text:
        digit = unicodedata.decimal(char, None) if not char.isascii() else None
        out.append(str(digit) if digit is not None else char)
    return "".join(out)


def is_invisible(char: str) -> bool:
    """A character that displays as nothing or reorders text (not ordinary whitespace)."""
    if char.isspace():
        return False
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or ord(char) in _IGNORABLE_NON_CF


def has_invisible(value: str | None) -> bool:
    """The value holds at least one invisible or bidi-control character."""
    if not value or (value.isascii() and value.isprintable()):
        return False  # the common case, and half a million times per import file (QUA-3): no per-character look
    return any(is_invisible(char) for char in value)


def refuse_invisible(value: str | None, *, label) -> None:
    """Raise a ValidationError (code "invisible_characters") when the value holds an invisible character.

    ``label`` may be lazy: it is translated only when the value is refused."""
    if has_invisible(value):
        raise ValidationError(
            _("%(label)s含有看不见的特殊字符（如零宽字符或方向控制符），请删除后重新输入。")
            % {"label": label},
            code="invisible_characters",
        )


def normalize_text(value: str | None) -> str:
    """Free text typed by a person (names, e-mail addresses, usernames): NFKC, trimmed."""
    return nfkc(value).strip()


# Full-width punctuation of Chinese text (，：；！？（）…): NFKC would turn "，" into an ASCII comma.
_FULL_WIDTH_PUNCTUATION = "".join(re.escape(chr(c)) for c in range(0xFF01, 0xFF66) if not chr(c).isalnum())
_CJK_PUNCTUATION = re.compile("([" + _FULL_WIDTH_PUNCTUATION + "])")


def normalize_prose(value: str | None) -> str:
    """Sentences a person writes for another to read (reasons, statements): NFKC as `normalize_text`, except that
    Chinese full-width punctuation stays as typed. Only identifiers need the ASCII forms; a reason the doctor
    reads should keep its "，"."""
    parts = _CJK_PUNCTUATION.split(value or "")
    # Odd parts are the kept punctuation; the text between is normalised piece by piece.
    return "".join(part if i % 2 else nfkc(part) for i, part in enumerate(parts)).strip()


def normalize_id_number(value: str | None) -> str:
    """An ID-document number: NFKC, ASCII digits, no spaces, upper case (the digest is taken of this)."""
    return "".join(ascii_digits(value).split()).upper()


def normalize_phone(value: str | None) -> str:
    """A phone number as typed: NFKC, ASCII digits, no spaces or hyphens, no +86 prefix."""
    number = "".join(ascii_digits(value).split()).replace("-", "")
    return number[3:] if number.startswith("+86") else number


def normalize_code(value: str | None) -> str:
    """A code, certificate or ticket number: NFKC, ASCII digits, no whitespace, upper case."""
    return "".join(ascii_digits(value).split()).upper()
