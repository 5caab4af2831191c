"""A logging filter that masks ID numbers and mobile numbers in every record (X-3)."""

import logging
import re

# 18-char resident IDs, 15-digit legacy IDs and 11-digit mainland mobiles, not inside longer digit runs.
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<!\d)(\d{4})\d{7}(\d{4})(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    text = _ID.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(2), text)
    text = _ID15.sub(lambda m: m.group(1) + "*" * 7 + m.group(2), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskPersonalDataFilter(logging.Filter):
    """Rewrites the formatted message so no handler ever sees a clear number."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logged as it is
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
