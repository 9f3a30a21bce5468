"""Tests of db.validators and db.privacy (no Qt)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from db import validators as v
from db.errors import ValidationError
from db.fields import ID_NUMBER, PHONE, PUBLIC, SENSITIVE
from db.privacy import mask, mask_id, mask_phone

# --------------------------------------------------------------------------- independent references

# Written out from GB 11643-1999 rather than computed like the module does.
GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
GB11643_CHECK = ("1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2")
GB32100_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
GB32100_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def ref_id_check(body17: str) -> str:
    return GB11643_CHECK[sum(int(d) * w for d, w in zip(body17, GB11643_WEIGHTS, strict=True)) % 11]


def ref_credit_check(body17: str) -> str:
    total = sum(GB32100_CHARSET.index(c) * w for c, w in zip(body17, GB32100_WEIGHTS, strict=True))
    return GB32100_CHARSET[(31 - total % 31) % 31]


def make_id(area: str, born: str, seq: str) -> str:
    body = area + born + seq
    return body + ref_id_check(body)


def code_of(func, *args) -> str:
    with pytest.raises(ValidationError) as info:
        func(*args)
    assert info.value.message, "a ValidationError needs a message"
    assert info.value.code == info.value.code.strip()
    return info.value.code


def error_of(func, *args) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(*args)
    return info.value


# Known-good numbers.
STD_FEMALE = "11010519491231002X"  # GB 11643-1999 example, 1949-12-31, sequence 002 (even: female)
STD_1880 = "440524188001010014"  # GB 11643-1999 example, born 1880: before 1900, refused here
MALE = "330281199001011235"  # 33028119900101123 -> check digit 5; 3 is odd: male
CREDIT = "91350100M000100Y43"


# --------------------------------------------------------------------------- ID numbers


def test_check_digit_matches_the_standard_examples() -> None:
    assert v.id_check_digit("11010519491231002") == "X"
    assert v.id_check_digit("44052418800101001") == "4"
    assert v.id_check_digit("33028119900101123") == "5"
    assert ref_id_check("44052418800101001") == "4"  # the reference agrees with the standard


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_agrees_with_the_reference(body: str) -> None:
    assert v.id_check_digit(body) == ref_id_check(body)


@pytest.mark.parametrize("bad", ["1101051949123100", "110105194912310021", "1101051949123100A", "", 11010519491231002])
def test_check_digit_refuses_anything_but_17_digits(bad) -> None:
    assert code_of(v.id_check_digit, bad) == "id_format"


def test_standard_example_female() -> None:
    info = v.id_info(STD_FEMALE)
    assert info == v.IdInfo(STD_FEMALE, date(1949, 12, 31), "female")
    assert v.id_number(STD_FEMALE) == STD_FEMALE


def test_male_from_odd_17th_digit() -> None:
    info = v.id_info(MALE)
    assert info.gender == "male"
    assert info.birth_date == date(1990, 1, 1)
    assert info.number == MALE


def test_standard_1880_example_is_refused_as_before_1900() -> None:
    # The check digit is right (the standard's own example) but 1880 is before 1900.
    assert v.id_check_digit(STD_1880[:17]) == STD_1880[17]
    err = error_of(v.id_info, STD_1880)
    assert err.code == "id_birth_date"
    assert "1880-01-01" in err.message


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",  # lower-case x
        " 11010519491231002X ",
        "110105 19491231 002X",
        "\u3000110105\u00a019491231002X\t",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and Ｘ
        "１１０１０５１９４９１２３１００２ｘ",
        "110105\u200b19491231002X",  # zero-width space copied from a web page
        "110105-19491231-002X".replace("-", " "),
    ],
)
def test_id_normalisation(raw: str) -> None:
    assert v.id_number(raw) == STD_FEMALE


@pytest.mark.parametrize("raw", [110105491231002, "110105491231002", 110105491231002.0, " 110105 491231 002 "])
def test_legacy_15_digit_converted(raw) -> None:
    info = v.id_info(raw)
    assert info.number == STD_FEMALE
    assert info.birth_date == date(1949, 12, 31)
    assert info.gender == "female"


def test_legacy_conversion_of_a_male_number() -> None:
    legacy = MALE[:6] + MALE[8:17]  # 330281900101123
    assert len(legacy) == 15
    assert v.id_number(legacy) == MALE
    assert v.id_number(int(legacy)) == MALE


def test_legacy_with_impossible_date() -> None:
    err = error_of(v.id_info, "110105490230002")
    assert err.code == "id_birth_date"
    assert "1949-02-30" in err.message
    assert code_of(v.id_info, 110105491331002) == "id_birth_date"


@pytest.mark.parametrize(
    "raw",
    [
        330281199001011235,  # an int of 18 digits: came from a numeric cell
        3302811990010112,  # 16 digits
        3.30281199001012e17,  # what openpyxl returns for the cell
        3.30281199001012e17 + 0.0,
        1101054912310.5,  # any float with a fraction
        "3.30281E+17",
        "3.30281e+17",
        "3.30281199001012E17",
        "330281199001011235.0",
        "330281199001011000.00",
        "330,281,199,001,011,000",
        "３．３０２８１Ｅ＋１７",
        " 3.30281E+17 ",
    ],
)
def test_excel_damage(raw) -> None:
    err = error_of(v.id_info, raw)
    assert err.code == "id_damaged_by_excel"
    assert "文本" in err.message and "Excel" in err.message


def test_excel_damage_message_names_the_value() -> None:
    assert "3.30281E+17" in error_of(v.id_info, "3.30281E+17").message
    message = error_of(v.id_info, 330281199001011235).message
    assert "3.30281E+17" in message and "3302811990" not in message  # as Excel shows it, never whole


def test_bool_and_short_numbers_are_format_errors_not_damage() -> None:
    assert code_of(v.id_info, True) == "id_format"
    assert code_of(v.id_info, 12345) == "id_format"
    assert code_of(v.id_info, -110105491231002) == "id_format"
    assert code_of(v.id_info, "12.5") == "id_format"  # a decimal point, but no ID was ever that short


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\u00a0\t\n"])
def test_id_missing(raw) -> None:
    assert code_of(v.id_info, raw) == "id_missing"


@pytest.mark.parametrize(
    "raw",
    [
        STD_FEMALE[:17],  # 17 digits
        STD_FEMALE + "1",  # 19
        "1101051949123100",  # 16 characters of text
        "11010519491231002Y",
        "X1010519491231002X",
        "1101051949123I002X",
        "11010519491231002XX",
        "身份证11010519491231002X",
        "11010519491231002X号",
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",  # Arabic-Indic digits are not ID digits
    ],
)
def test_id_format(raw: str) -> None:
    assert code_of(v.id_info, raw) == "id_format"


def test_id_checksum() -> None:
    wrong = STD_FEMALE[:17] + "1"
    err = error_of(v.id_info, wrong)
    assert err.code == "id_checksum"
    assert err.message == "身份证号校验位错误（***************021）"  # never the whole number
    assert code_of(v.id_info, "330281199001011234") == "id_checksum"


def test_every_single_digit_typo_is_caught() -> None:
    for i in range(18):
        for d in "0123456789X":
            if d == STD_FEMALE[i] or (i < 17 and d == "X"):
                continue
            typo = STD_FEMALE[:i] + d + STD_FEMALE[i + 1 :]
            assert code_of(v.id_info, typo) in {"id_checksum", "id_birth_date"}, typo


@pytest.mark.parametrize(
    ("born", "shown"),
    [
        ("19900230", "1990-02-30"),
        ("19900229", "1990-02-29"),  # not a leap year
        ("19901301", "1990-13-01"),
        ("19900100", "1990-01-00"),
        ("18991231", "1899-12-31"),
        ("00000000", "0000-00-00"),
    ],
)
def test_impossible_birth_dates(born: str, shown: str) -> None:
    number = make_id("330281", born, "123")  # a right check digit: only the date is wrong
    err = error_of(v.id_info, number)
    assert err.code == "id_birth_date"
    assert shown in err.message


def test_leap_day_is_a_birth_date() -> None:
    assert v.id_info(make_id("330281", "20000229", "124")).birth_date == date(2000, 2, 29)


def test_future_birth_date() -> None:
    tomorrow = date.today() + timedelta(days=1)
    assert code_of(v.id_info, make_id("330281", tomorrow.strftime("%Y%m%d"), "123")) == "id_birth_date"
    today = date.today()
    assert v.id_info(make_id("330281", today.strftime("%Y%m%d"), "123")).birth_date == today


ID_CODES = {"id_missing", "id_format", "id_checksum", "id_birth_date", "id_damaged_by_excel"}


@st.composite
def valid_ids(draw) -> tuple[str, date, str]:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
    area = draw(st.sampled_from(["110105", "330281", "440524", "320923", "640104", "820000"]))
    seq = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    number = make_id(area, born.strftime("%Y%m%d"), seq)
    return number, born, "male" if int(seq[2]) % 2 else "female"


@given(valid_ids())
def test_generated_valid_ids(case: tuple[str, date, str]) -> None:
    number, born, gender = case
    assert v.id_info(number) == v.IdInfo(number, born, gender)
    assert v.id_number(number.lower()) == number
    if born.year < 2000:
        legacy = number[:6] + number[8:17]
        assert v.id_number(legacy) == number


def test_check_gender() -> None:
    female, male = v.id_info(STD_FEMALE), v.id_info(MALE)
    v.check_gender(female, "female")
    v.check_gender(male, "male")
    v.check_gender(male, None)
    v.check_gender(male, "")
    err = error_of(v.check_gender, female, "male")
    assert err.code == "sex_mismatch"
    assert "女" in err.message and "*" * 15 + STD_FEMALE[-3:] in err.message
    assert STD_FEMALE[:15] not in err.message
    err = error_of(v.check_gender, male, "female")
    assert err.code == "sex_mismatch"
    assert "显示为男" in err.message
    assert code_of(v.check_gender, male, "女") == "sex_mismatch"


# --------------------------------------------------------------------------- credit codes


def test_credit_check_char() -> None:
    assert v.credit_check_char(CREDIT[:17]) == "3"
    assert ref_credit_check(CREDIT[:17]) == "3"
    assert code_of(v.credit_check_char, "91350100M000100Y") == "credit_code_invalid"
    assert code_of(v.credit_check_char, "91350100M000100YO") == "credit_code_invalid"


@given(st.text(alphabet=GB32100_CHARSET, min_size=17, max_size=17))
def test_credit_check_char_agrees_with_the_reference(body: str) -> None:
    check = v.credit_check_char(body)
    assert check == ref_credit_check(body)
    assert v.credit_code(body + check) == body + check


@pytest.mark.parametrize(
    "raw",
    [CREDIT, CREDIT.lower(), f" {CREDIT} ", "9135 0100 M000 100Y 43", "９１３５０１００Ｍ０００１００Ｙ４３", "91350100m000100y43\u3000"],
)
def test_credit_code_valid(raw: str) -> None:
    assert v.credit_code(raw) == CREDIT


@pytest.mark.parametrize("raw", [None, "", "  ", "\u3000"])
def test_credit_code_empty_is_none(raw) -> None:
    assert v.credit_code(raw) is None


def test_every_single_substitution_in_a_credit_code_is_caught() -> None:
    for i in range(18):
        for c in GB32100_CHARSET:
            if c != CREDIT[i]:
                mutated = CREDIT[:i] + c + CREDIT[i + 1 :]
                err = error_of(v.credit_code, mutated)
                assert err.code == "credit_code_invalid"
                assert mutated in err.message


@pytest.mark.parametrize(
    "raw",
    [
        CREDIT[:17],
        CREDIT + "0",
        "91350100M000100I43",  # I, O, S, V, Z are not in the charset
        "91350100M000100O43",
        "91350100M000100Z43",
        "91350100M000100S43",
        "91350100M000100V43",
        "91350100-M00010043",
        913501001000100143,  # a numeric cell
        3.5,
        True,
    ],
)
def test_credit_code_invalid(raw) -> None:
    assert code_of(v.credit_code, raw) == "credit_code_invalid"


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("138\u30001234\u00a05678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("(+86)13812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("＋８６　１３８１２３４５６７８", "13812345678"),
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
        ("13812345678.0", "13812345678"),
        (8613812345678, "13812345678"),
        ("0572-1234567", "0572-1234567"),
        ("05721234567", "0572-1234567"),
        ("0572 1234567", "0572-1234567"),
        ("(0572)1234567", "0572-1234567"),
        ("（0572）1234567", "0572-1234567"),
        ("0572－1234567", "0572-1234567"),
        ("0572—1234567", "0572-1234567"),
        ("010-12345678", "010-12345678"),
        ("02112345678", "021-12345678"),
        ("0574-87654321", "0574-87654321"),
        ("+86 572 1234567", "0572-1234567"),
        (5721234567, "0572-1234567"),  # Excel dropped the leading 0
        (1012345678, "010-12345678"),
        ("0572-1234567转801", "0572-1234567-801"),
        ("88123456", "88123456"),
        ("400-800-1234", "400-800-1234"),
        ("+1 415 555 0100", "+14155550100"),
    ],
)
def test_phone_normalised(raw, expected: str) -> None:
    assert v.phone(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_phone_empty_is_none(raw) -> None:
    assert v.phone(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "138abcd5678",
        "tel:13812345678",
        "12345",  # too short
        "1234567890123456",  # too long
        "13812345678/13912345678",  # two numbers in one cell
        "13812345678、0572-1234567",
        "138+12345678",
        13812345678.5,
        -13812345678,
        float("nan"),
        float("inf"),
        10**30,
        True,
    ],
)
def test_phone_garbage(raw) -> None:
    assert code_of(v.phone, raw) == "phone_format"


def test_is_mobile() -> None:
    assert v.is_mobile("13812345678")
    assert v.is_mobile("19912345678")
    assert not v.is_mobile("12812345678")
    assert not v.is_mobile("1381234567")
    assert not v.is_mobile("138123456789")
    assert not v.is_mobile("0572-1234567")
    assert not v.is_mobile("１３８１２３４５６７８")
    assert not v.is_mobile("")
    assert not v.is_mobile(None)
    assert v.is_mobile(v.phone("+86 138-1234-5678") or "")
    assert not v.is_mobile(v.phone("0572-1234567") or "")


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        ("  张三  ", "张三"),
        ("张  三", "张三"),
        ("张\u3000三", "张三"),
        ("张\u00a0三", "张三"),
        ("欧阳 娜娜", "欧阳娜娜"),
        ("𠮷", None),  # see test_name_length
        ("𠮷𠮷", "𠮷𠮷"),
        ("吉𠮷", "吉𠮷"),
        ("阿卜杜·热合曼", "阿卜杜·热合曼"),
        ("阿卜杜•热合曼", "阿卜杜·热合曼"),  # U+2022
        ("阿卜杜・热合曼", "阿卜杜·热合曼"),  # U+30FB
        ("阿卜杜‧热合曼", "阿卜杜·热合曼"),  # U+2027
        ("阿卜杜．热合曼", "阿卜杜·热合曼"),  # U+FF0E
        ("阿卜杜･热合曼", "阿卜杜·热合曼"),  # U+FF65
        ("阿卜杜∙热合曼", "阿卜杜·热合曼"),  # U+2219
        ("阿卜杜⋅热合曼", "阿卜杜·热合曼"),  # U+22C5
        ("阿卜杜·热合曼", "阿卜杜·热合曼"),  # U+0387
        ("阿卜杜.热合曼", "阿卜杜·热合曼"),  # ASCII full stop
        ("阿卜杜 · 热合曼", "阿卜杜·热合曼"),
        ("阿卜杜··热合曼", "阿卜杜·热合曼"),
        ("John  Smith", "John Smith"),
        ("John\u3000Smith", "John Smith"),
        ("Ｊｏｈｎ Ｓｍｉｔｈ", "John Smith"),
        ("Jean-Pierre", "Jean-Pierre"),
        ("José García", "José García"),
        ("Jose\u0301 Garci\u0301a", "Jose\u0301 Garci\u0301a"),  # decomposed accents keep the space
        ("李 John", "李John"),
        ("王〇", "王〇"),
        ("葛\U000e0100明", "葛\U000e0100明"),  # an ideographic variation selector
    ],
)
def test_person_name(raw: str, expected: str | None) -> None:
    if expected is None:
        return
    assert v.person_name(raw) == expected


def test_name_length_counts_code_points() -> None:
    assert code_of(v.person_name, "𠮷") == "name_length"  # one code point, two UTF-16 units
    assert code_of(v.person_name, "张") == "name_length"
    assert v.person_name("𠮷" * 20) == "𠮷" * 20
    err = error_of(v.person_name, "𠮷" * 21)
    assert err.code == "name_length"
    assert "21" in err.message
    assert v.person_name("张" * 20) == "张" * 20
    assert code_of(v.person_name, "张 " * 21) == "name_length"  # spaces between CJK do not count, 21 left


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000\u3000", "\t\n"])
def test_name_missing(raw) -> None:
    assert code_of(v.person_name, raw) == "name_missing"


@pytest.mark.parametrize(
    "raw",
    ["张3", "张三1", "１２", "张三（借调）", "张三!", "张@三", "·张三", "张三·", "·", "张三①", 12345, 1.5, True, "-张三", "张-三"],
)
def test_name_format(raw) -> None:
    assert code_of(v.person_name, raw) == "name_format"


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (date(2024, 3, 5), date(2024, 3, 5)),
        (datetime(2024, 3, 5, 14, 30), date(2024, 3, 5)),
        ("2024.3.5", date(2024, 3, 5)),
        ("2024.03.05", date(2024, 3, 5)),
        ("2024年3月5日", date(2024, 3, 5)),
        ("2024年03月05日", date(2024, 3, 5)),
        ("2024 年 3 月 5 日", date(2024, 3, 5)),
        ("2024年3月5号", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-3-5", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024/03/05", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
        ("2024-03-05 00:00:00", date(2024, 3, 5)),
        ("2024-03-05T08:15:00", date(2024, 3, 5)),
        ("2024/3/5 0:00", date(2024, 3, 5)),
        ("2024.03", date(2024, 3, 1)),
        ("2024.3", date(2024, 3, 1)),
        ("2024-03", date(2024, 3, 1)),
        ("2024/3", date(2024, 3, 1)),
        ("2024年3月", date(2024, 3, 1)),
        ("2024年03月", date(2024, 3, 1)),
        ("202403", date(2024, 3, 1)),
        ("２０２４年３月５日", date(2024, 3, 5)),
        ("２０２４．３．５", date(2024, 3, 5)),
        (" 2024-03-05\u3000", date(2024, 3, 5)),
        (45356, date(2024, 3, 5)),  # Excel serial
        (45356.0, date(2024, 3, 5)),
        (45356.75, date(2024, 3, 5)),  # 18:00 that day
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (36526, date(2000, 1, 1)),
        (20240305, date(2024, 3, 5)),  # a date typed as a number
        (20240305.0, date(2024, 3, 5)),
        (202403, date(2024, 3, 1)),
        ("2000-02-29", date(2000, 2, 29)),
    ],
)
def test_date_value(raw, expected: date) -> None:
    assert v.date_value(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "  ", "\u3000"])
def test_date_empty_is_none(raw) -> None:
    assert v.date_value(raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        "2024-02-30",
        "2023-02-29",
        "2024.13.1",
        "2024年0月",
        "2024-03-00",
        "20241301",
        "2024",
        "24.3.5",
        "3/5/2024",
        "昨天",
        "2024-03-05 25:00:00x",
        "1899-12-31",
        "2101-01-01",
        0,
        -5,
        60,  # Excel's 1900-02-29
        80001,
        20240230,
        float("nan"),
        float("inf"),
        True,
    ],
)
def test_date_invalid(raw) -> None:
    assert code_of(v.date_value, raw) == "date_invalid"


def test_date_message_names_the_value() -> None:
    assert error_of(v.date_value, "2024-02-30").message == "日期无效（2024-02-30）"
    assert "2024年2月30日" in error_of(v.date_value, "2024年2月30日").message


# --------------------------------------------------------------------------- privacy


def test_mask_id() -> None:
    assert mask_id("330281199001011234") == "***************234"
    assert mask_id(STD_FEMALE) == "***************02X"
    assert mask_id("110105491231002") == "************002"  # a legacy number keeps its last 3 as well
    assert mask_id("12345678") == "******78"  # not an ID number: a quarter at most
    assert mask_id("123") == "***"
    assert mask_id("12") == "**"
    assert mask_id("") == ""
    assert mask_id(None) == ""


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0572-1234567") == "0572-*****67"
    assert mask_phone("010-12345678") == "010-******78"
    assert mask_phone("88123456") == "******56"
    assert mask_phone("123") == "***"
    assert mask_phone("") == ""
    assert mask_phone(None) == ""


def test_mask_by_privacy_class() -> None:
    assert mask("张三", PUBLIC) == "张三"
    assert mask(42, PUBLIC) == 42
    assert mask("330281199001011234", ID_NUMBER) == "***************234"
    assert mask("13812345678", PHONE) == "138****5678"
    assert mask("低保户", SENSITIVE) == "（受保护）"
    assert mask(None, SENSITIVE) is None
    assert mask("", ID_NUMBER) == ""
    with pytest.raises(ValueError):
        mask("x", "secret")


@given(st.text(max_size=40))
def test_masks_never_reveal_the_middle_of_an_id(text: str) -> None:
    masked = mask_id(text)
    stripped = text.strip()
    assert len(masked) == len(stripped)
    if len(stripped) >= 3:
        assert masked.count("*") >= min(len(stripped) // 2, 8)
    assert isinstance(mask_phone(text), str)
    assert mask(text, SENSITIVE) in {"（受保护）", text}


# --------------------------------------------------------------------------- robustness (Hypothesis)

ID_LIKE = st.builds(
    lambda digits, tail, noise: noise[0] + digits + tail + noise[1],
    st.text(alphabet="0123456789０１２３", min_size=13, max_size=18),
    st.sampled_from(["", "X", "x", "Ｘ", ".0", "E+17", "e17", "9"]),
    st.tuples(st.sampled_from(["", " ", "\u3000", "\u00a0"]), st.sampled_from(["", " ", "\u3000"])),
)
PHONE_LIKE = st.text(alphabet="0123456789+-() 转．－（）８６", max_size=22)
DATE_LIKE = st.text(alphabet="0123456789-/.年月日号: T２０", max_size=22)
NAME_LIKE = st.text(
    alphabet=st.sampled_from(list("张三欧阳𠮷吉 \u3000\u00a0·•・‧．･∙⋅·.-JohnSmitéa\u0301〇1!")), max_size=25
)
ANY_INPUT = st.one_of(
    st.none(),
    st.booleans(),
    st.text(),
    st.integers(),
    st.integers(min_value=10**14, max_value=10**19),
    st.floats(),
    st.floats(min_value=1, max_value=90000),
    st.binary().map(lambda b: b.decode("utf-8", errors="replace")),
    st.binary().map(lambda b: b.decode("gbk", errors="replace")),
    st.binary().map(lambda b: b.decode("latin-1")),
    st.binary().map(lambda b: b.decode("utf-8", errors="surrogateescape")),
    st.dates(),
    st.datetimes(),
    ID_LIKE,
    PHONE_LIKE,
    DATE_LIKE,
    NAME_LIKE,
)
ROBUST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _call(func, raw, codes: set[str]):
    """``func(raw)``, or None when it refused with one of ``codes`` (anything else fails the test)."""
    try:
        return func(raw), True
    except ValidationError as e:
        assert e.code in codes, (raw, e.code)
        assert isinstance(e.message, str) and e.message
        return None, False


@ROBUST
@given(ANY_INPUT)
@example("3.30281E+17")
@example(3.30281199001012e17)
@example(10**5000)
@example("1E99999")
def test_id_robust_and_idempotent(raw) -> None:
    info, ok = _call(v.id_info, raw, ID_CODES)
    if ok:
        number = info.number
        assert re.fullmatch(r"[0-9]{17}[0-9X]", number)
        assert ref_id_check(number[:17]) == number[17]
        assert v.id_info(number) == info
        assert info.gender == ("male" if int(number[16]) % 2 else "female")


@ROBUST
@given(st.one_of(ANY_INPUT, st.text(alphabet=GB32100_CHARSET + "iozsv ", min_size=16, max_size=20)))
@example(10**5000)
def test_credit_code_robust_and_idempotent(raw) -> None:
    out, ok = _call(v.credit_code, raw, {"credit_code_invalid"})
    if ok and out is not None:
        assert len(out) == 18
        assert ref_credit_check(out[:17]) == out[17]
        assert v.credit_code(out) == out


@ROBUST
@given(ANY_INPUT)
@example(10**5000)
@example("0086")
def test_phone_robust_and_idempotent(raw) -> None:
    out, ok = _call(v.phone, raw, {"phone_format"})
    if ok and out is not None:
        assert len(out) <= 20
        assert v.phone(out) == out
        assert isinstance(v.is_mobile(out), bool)
        assert isinstance(mask_phone(out), str)


@ROBUST
@given(ANY_INPUT)
@example(10**5000)
@example("a \u0301b")
def test_name_robust_and_idempotent(raw) -> None:
    out, ok = _call(v.person_name, raw, {"name_missing", "name_length", "name_format"})
    if ok:
        assert 2 <= len(out) <= 20
        assert out == out.strip()
        assert v.person_name(out) == out


@ROBUST
@given(ANY_INPUT)
@example(10**5000)
@example(-(10**5000))
@example(1e300)
def test_date_robust_and_idempotent(raw) -> None:
    out, ok = _call(v.date_value, raw, {"date_invalid"})
    if ok and out is not None:
        assert type(out) is date
        assert 1900 <= out.year <= 2100
        assert v.date_value(out) == out
        assert v.date_value(out.isoformat()) == out


@ROBUST
@given(ANY_INPUT, st.sampled_from(["male", "female", None, "", "男", "女", "unknown"]))
def test_check_gender_robust(raw, gender) -> None:
    try:
        info = v.id_info(raw)
    except ValidationError:
        return
    try:
        v.check_gender(info, gender)
    except ValidationError as e:
        assert e.code == "sex_mismatch"
        assert gender in {"male", "female", "男", "女"}


def test_a_leading_apostrophe_from_a_text_cell_is_not_part_of_the_number() -> None:
    assert v.id_number("'11010519491231002X") == "11010519491231002X"
    assert v.id_number("‘ 11010519491231002x") == "11010519491231002X"
