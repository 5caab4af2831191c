"""X-3: no clear ID number or mobile number reaches a log handler."""

import logging

from docregsys.identity.logfilter import MaskPersonalDataFilter, mask_text


def test_mask_text_hides_ids_and_phones():
    text = "user 11010519491231002X phone 15175070658 old 110105491231002 order 2025110430000000000001"
    masked = mask_text(text)
    assert "11010519491231002X" not in masked
    assert "1101**********002X" in masked
    assert "15175070658" not in masked and "151****0658" in masked
    assert "110105491231002" not in masked
    assert "2025110430000000000001" in masked  # a long certificate/ticket number is not a phone


def test_filter_rewrites_records_with_args(caplog):
    logger = logging.getLogger("docregsys.test")
    logger.addFilter(MaskPersonalDataFilter())
    try:
        with caplog.at_level(logging.INFO, logger="docregsys.test"):
            logger.info("sign-up for %s with %s", "11010519491231002X", "15175070658")
    finally:
        logger.filters.clear()
    assert "11010519491231002X" not in caplog.text
    assert "15175070658" not in caplog.text
    assert "151****0658" in caplog.text
