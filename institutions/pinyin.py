"""Pinyin initials of Chinese names: what the pickers match a typed "frry" against (芙蓉人民医院)."""

from pypinyin import Style, lazy_pinyin


def pinyin_initials(text: str) -> str:
    """The pinyin initials of a Chinese name, lower case: 内科 → "nk" (other characters as they are)."""
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower()
