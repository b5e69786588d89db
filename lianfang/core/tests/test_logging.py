import logging

from lianfang.core.logging import MASK, redact


def test_resident_id_and_phone_are_redacted():
    text = "registered 11010519491231002X phone 13812345678 and +86 139 0000 1111"
    out = redact(text)
    assert "11010519491231002X" not in out
    assert "13812345678" not in out
    assert out.count(MASK) >= 2


def test_region_codes_survive_redaction():
    text = "building 620105001001001 community 620105001001"
    assert redact(text) == text


def test_legacy_15_digit_id_is_redacted():
    assert "110105491231002" not in redact("id 110105491231002 seen")


def test_log_records_are_redacted(caplog):
    from lianfang.core.logging import RedactPersonalDataFilter

    logger = logging.getLogger("lianfang.test")
    handler = caplog.handler
    handler.addFilter(RedactPersonalDataFilter())
    try:
        logger.warning("caller %s", "13812345678")
    finally:
        handler.removeFilter(handler.filters[-1])
    assert "13812345678" not in caplog.text
    assert MASK in caplog.text
