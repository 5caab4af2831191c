"""Identity and input rules ID-1…ID-7 (SPEC §3): each rule accepts the good and names what is wrong."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from docregsys.identity.crypto import IdType
from docregsys.identity.validators import (
    LettersAndDigitsPasswordValidator,
    validate_attachment,
    validate_email_address,
    validate_id_number,
    validate_mobile,
    validate_photo,
    validate_real_name,
    validate_resident_id,
    validate_username,
)
from tests.factories import make_resident_id

# A real-format number: 11010519491231002X is the GB 11643 standard's own example (check digit X).
STANDARD_EXAMPLE = "11010519491231002X"


def refusal(func, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    return info.value


class TestResidentId:
    """ID-1."""

    def test_it_accepts_the_standard_example_and_derives_birth_date_and_sex(self):
        rid = validate_resident_id(STANDARD_EXAMPLE)
        assert rid.birth_date == dt.date(1949, 12, 31)
        assert rid.sex == "F"  # 17th digit 2 is even
        assert rid.region_code == "110105"

    def test_it_normalises_lowercase_x_and_spaces(self):
        assert validate_resident_id(" 11010519491231002x ").number == STANDARD_EXAMPLE

    def test_male_from_odd_sequence(self):
        assert validate_resident_id(make_resident_id("430102", "19900101", "123")).sex == "M"

    def test_it_refuses_a_wrong_check_digit(self):
        err = refusal(validate_resident_id, "110105194912310021")
        assert err.code == "id_check_digit"
        assert "校验位" in err.messages[0]

    def test_it_refuses_15_digit_numbers(self):
        err = refusal(validate_resident_id, "110105491231002")
        assert err.code == "id_15_digits"
        assert "15位" in err.messages[0]

    @pytest.mark.parametrize("value", ["1101051949123100", "11010519491231002X1"])
    def test_it_refuses_other_lengths_saying_how_many(self, value):
        err = refusal(validate_resident_id, value)
        assert err.code == "id_length"
        assert f"{len(value)}位" in err.messages[0]

    def test_it_refuses_letters_in_the_body(self):
        assert refusal(validate_resident_id, "1101051949A231002X").code == "id_characters"

    @pytest.mark.parametrize("birth", ["19490230", "19491301", "21000101", "18991231"])
    def test_it_refuses_impossible_birth_dates(self, birth):
        number = make_resident_id("110105", birth, "002")
        err = refusal(validate_resident_id, number)
        assert err.code == "id_birth_date"
        assert birth in err.messages[0]

    def test_it_refuses_an_unknown_region_code(self):
        err = refusal(validate_resident_id, make_resident_id("990000", "19900101", "001"))
        assert err.code == "id_region"

    def test_it_asks_for_a_value(self):
        assert refusal(validate_resident_id, "").code == "required"


class TestOtherIdTypes:
    """ID-1: lengths of seed 004 for permits, IDs and passports."""

    @pytest.mark.parametrize(
        "id_type,value",
        [
            (IdType.TW_PERMIT, "T123456789"),
            (IdType.TW_ID, "A123456789"),
            (IdType.HK_MO_PERMIT, "H1234567890"),
            (IdType.HK_ID, "A1234567"),
            (IdType.HK_ID, "AB1234567"),
            (IdType.MO_ID, "15123456"),
            (IdType.PASSPORT, "E1234567"),
        ],
    )
    def test_it_accepts_the_documented_lengths(self, id_type, value):
        assert validate_id_number(id_type, value) == value

    @pytest.mark.parametrize(
        "id_type,value,code",
        [
            (IdType.TW_PERMIT, "T12345678", "id_length"),
            (IdType.HK_ID, "A123456", "id_length"),
            (IdType.MO_ID, "151234567", "id_length"),
            (IdType.PASSPORT, "E1234", "id_length"),
            (IdType.HK_ID, "A123456(7)", "id_characters"),
        ],
    )
    def test_it_refuses_wrong_lengths_and_punctuation(self, id_type, value, code):
        assert refusal(validate_id_number, id_type, value).code == code

    def test_resident_type_uses_the_gb11643_rules(self):
        assert refusal(validate_id_number, IdType.RESIDENT, "110105491231002").code == "id_15_digits"


class TestRealName:
    """ID-2."""

    @pytest.mark.parametrize("name", ["张三", "欧阳娜娜", "阿依古丽·买买提", "𠮷野"])
    def test_it_accepts_chinese_names(self, name):
        assert validate_real_name(name) == name

    def test_minority_dot_typed_as_period_is_stored_as_middle_dot(self):
        assert validate_real_name("阿依古丽.买买提") == "阿依古丽·买买提"

    @pytest.mark.parametrize("name", ["Zhang三", "张3", "zhangsan"])
    def test_it_refuses_letters_and_digits(self, name):
        err = refusal(validate_real_name, name)
        assert err.code == "name_characters"
        assert "字母或数字" in err.messages[0]

    def test_it_refuses_spaces_and_symbols(self):
        assert refusal(validate_real_name, "张 三").code == "name_characters"
        assert refusal(validate_real_name, "张三！").code == "name_characters"

    def test_it_refuses_more_than_28_characters(self):
        err = refusal(validate_real_name, "张" * 29)
        assert err.code == "name_length"
        assert "29" in err.messages[0]


class TestUsernamePasswordMobileEmail:
    """ID-3, ID-4, ID-5."""

    @pytest.mark.parametrize("value", ["abc123", "Doctor2024ab", "zhangsan"])
    def test_usernames_accepted(self, value):
        assert validate_username(value) == value

    @pytest.mark.parametrize(
        "value,code",
        [("1abcdef", "username_start"), ("abc12", "username_length"), ("abcdefghijklm", "username_length"),
         ("abc_123", "username_characters"), ("张三abcdef", "username_start")],
    )
    def test_usernames_refused(self, value, code):
        assert refusal(validate_username, value).code == code

    def test_password_needs_letters_and_digits(self):
        validator = LettersAndDigitsPasswordValidator()
        validator.validate("abcd1234")
        assert refusal(validator.validate, "abcdefgh").code == "password_letters_digits"
        assert refusal(validator.validate, "12345678").code == "password_letters_digits"

    def test_password_validators_configured(self):
        from django.contrib.auth.password_validation import validate_password

        validate_password("Zx9kq2mWp")
        err = refusal(validate_password, "ab12")
        assert any("8" in m for m in err.messages)

    @pytest.mark.parametrize("value", ["13800138000", "19912345678", "16612345678", "+86 138 0013 8000"])
    def test_mobiles_accepted(self, value):
        assert len(validate_mobile(value)) == 11

    @pytest.mark.parametrize(
        "value,code",
        [("1380013800", "mobile_length"), ("138001380001", "mobile_length"), ("1380013800a", "mobile_characters"),
         ("01012345678", "mobile_invalid"), ("12012345678", "mobile_invalid")],
    )
    def test_mobiles_refused(self, value, code):
        assert refusal(validate_mobile, value).code == code

    def test_email(self):
        assert validate_email_address("Doc@Example.com") == "doc@example.com"
        assert refusal(validate_email_address, "a@b").code in ("email_length", "email_invalid")
        assert refusal(validate_email_address, "x" * 55 + "@a.com").code == "email_length"
        assert refusal(validate_email_address, "not-an-email").code == "email_invalid"


def image_bytes(fmt="JPEG", size=(354, 472), color=(255, 255, 255), quality=85) -> bytes:
    buf = io.BytesIO()
    image = Image.new("RGB", size, color)
    # a darker "person" in the middle, as a real ID photo has
    for x in range(size[0] // 3, 2 * size[0] // 3):
        for y in range(size[1] // 3, size[1]):
            image.putpixel((x, y), (60, 60, 90))
    image.save(buf, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return buf.getvalue()


class TestPhotoAndAttachments:
    """ID-6, ID-7: uploads decoded by Pillow, never trusted by name."""

    def test_a_proper_photo_passes(self):
        assert validate_photo(io.BytesIO(image_bytes())) == "jpg"
        assert validate_photo(io.BytesIO(image_bytes("PNG"))) == "png"

    def test_wrong_dimensions(self):
        err = refusal(validate_photo, io.BytesIO(image_bytes(size=(300, 400))))
        assert err.code == "photo_dimensions"
        assert "300×400" in err.messages[0]

    def test_too_heavy(self):
        import random

        rng = random.Random(1)
        noisy = Image.frombytes("RGB", (354, 472), bytes(rng.getrandbits(8) for _ in range(354 * 472 * 3)))
        buf = io.BytesIO()
        noisy.save(buf, "PNG")
        err = refusal(validate_photo, io.BytesIO(buf.getvalue()))
        assert err.code == "photo_too_large"
        assert "80KB" in err.messages[0]

    def test_wrong_type_even_when_named_jpg(self):
        buf = io.BytesIO()
        Image.new("RGB", (354, 472), "white").save(buf, "GIF")
        buf.name = "photo.jpg"
        err = refusal(validate_photo, buf)
        assert err.code == "photo_format"
        assert "GIF" in err.messages[0]

    def test_not_an_image(self):
        err = refusal(validate_photo, io.BytesIO(b"MZ\x90\x00 this is an exe renamed to .jpg"))
        assert err.code == "image_undecodable"

    def test_truncated_jpeg(self):
        data = image_bytes()
        assert refusal(validate_photo, io.BytesIO(data[: len(data) // 2])).code == "image_undecodable"

    def test_dark_background_refused(self):
        err = refusal(validate_photo, io.BytesIO(image_bytes(color=(30, 80, 200))))
        assert err.code == "photo_background"

    def test_attachments(self):
        assert validate_attachment(io.BytesIO(image_bytes(size=(800, 600)))) == "jpg"
        assert validate_attachment(io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")) == "pdf"
        assert refusal(validate_attachment, io.BytesIO(b"%PDF-1.4 truncated")).code == "attachment_pdf_broken"
        assert refusal(validate_attachment, io.BytesIO(b"")).code == "attachment_empty"
        assert refusal(validate_attachment, io.BytesIO(b"PK\x03\x04zip")).code == "image_undecodable"
        assert (
            refusal(validate_attachment, io.BytesIO(image_bytes(size=(800, 600))), max_bytes=1000).code
            == "attachment_too_large"
        )


def test_region_codes_younger_than_their_holder_are_accepted():
    """ID-1: 510107 (武侯区) dates from 1990; a holder born in 1975 carries it after re-issue."""
    number = make_resident_id("510107", "19750101", "011")
    assert validate_resident_id(number).region_code == "510107"


def test_a_province_with_an_unknown_county_is_refused():
    """ID-1: 51 is 四川省, but 519999 is no county."""
    assert refusal(validate_resident_id, make_resident_id("519999", "19900101", "001")).code == "id_region"


def test_short_password_is_refused_in_chinese():
    """ID-4: at least 8 characters, said in Chinese (Django's own message is untranslated)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        validate_password("abc123")
    assert "密码长度不能少于8位。" in refused.value.messages
