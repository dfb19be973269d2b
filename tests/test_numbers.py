"""Numbers typed by people are read the Vietnamese way, exactly, and what reads two ways is refused with both readings
and a way to write it that reads one way only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from par_score.numbers import NumberError, read_number, unambiguous_text, vn


@pytest.mark.parametrize(
    "text, value",
    [
        ("10.120", "10120"),
        ("10 120", "10120"),
        ("10\u00a0120", "10120"),  # a no-break space, as word processors group thousands
        ("10\u202f120", "10120"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("12,5", "12.5"),
        ("0,125", "0.125"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("97.5", "97.5"),
        ("0.125", "0.125"),
        ("2.500", "2500"),
        ("10 000,5", "10000.5"),
        ("-0,35", "-0.35"),
        ("\u22120,35", "-0.35"),  # the minus sign of a typeset document
        ("+3", "3"),
        (",5", "0.5"),
        ("1,2340", "1.2340"),
        ("1e3", "1E+3"),
    ],
)
def test_numbers_written_the_vietnamese_way_read_exactly(text, value):
    assert read_number(text).value == Decimal(value)


@pytest.mark.parametrize(
    "text, readings, write",
    [
        ("10,000", ("10.000", "10000"), "hãy viết 10 hoặc 10000"),
        ("1,234", ("1.234", "1234"), "hãy viết 1,2340 hoặc 1234"),
        ("12,500", ("12.500", "12500"), "hãy viết 12,5 hoặc 12500"),
        ("1.234", ("1234", "1.234"), "hãy viết 1234 hoặc 1,2340"),
        ("5.928", ("5928", "5.928"), "hãy viết 5928 hoặc 5,9280"),
    ],
)
def test_a_number_that_reads_two_ways_is_refused_with_both_readings(text, readings, write):
    with pytest.raises(NumberError) as caught:
        read_number(text)
    assert caught.value.readings == tuple(Decimal(r) for r in readings)
    message = str(caught.value)
    assert message.startswith(f"'{text}' đọc được hai cách:") and "không đoán" in message and write in message


def test_a_whole_number_field_settles_a_dot_and_a_percentage_field_a_single_mark():
    assert read_number("1.234", whole=True).value == 1234
    assert read_number("91.149", percent=True).value == Decimal("91.149")
    assert read_number("91,149", percent=True).value == Decimal("91.149")
    assert read_number("1,500", percent=True).value == Decimal("1.5")
    with pytest.raises(NumberError):  # 1 000 % or 1 %: both unusual, so refused
        read_number("1.000 %", percent=True)


def test_a_comma_stays_ambiguous_even_in_a_whole_number_field():
    with pytest.raises(NumberError):
        read_number("12,345", whole=True)


def test_percent_signs_only_where_a_percentage_is_asked_for():
    assert read_number("85%", percent=True) == read_number("85 %", percent=True)
    assert read_number("85 %", percent=True).percent_sign and not read_number("85", percent=True).percent_sign
    with pytest.raises(NumberError) as caught:
        read_number("85%")
    assert "dấu % chỉ dùng cho tỷ lệ phần trăm" in str(caught.value) and "không kèm dấu %" in str(caught.value)


@pytest.mark.parametrize(
    "text", ["abc", "NaN", "Infinity", "", "1..2", "10.12.5", "1 2", "12,", "1,5e3", "- 5", "1.2,3,4"]
)
def test_what_is_not_a_number_is_refused_in_vietnamese(text):
    with pytest.raises(NumberError) as caught:
        read_number(text)
    assert "số" in str(caught.value) and not caught.value.readings


# ---- round trips: what the tool prints reads back ------------------------------------------------------------------
DECIMALS = st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False)


def _reads_two_ways(text: str) -> bool:
    digits = text.lstrip("-")
    for mark in (".", ","):
        head, found, tail = digits.partition(mark)
        if found and digits.count(mark) == 1 and len(tail) == 3 and 1 <= len(head) <= 3 and head[0] != "0":
            other = "," if mark == "." else "."
            return other not in digits and (mark == "," or tail[-1] != "0")
    return False


@given(DECIMALS)
def test_a_decimal_written_the_vietnamese_way_reads_back_or_names_itself_among_two_readings(value):
    text = vn(value)
    if _reads_two_ways(text):
        with pytest.raises(NumberError) as caught:
            read_number(text)
        assert value in caught.value.readings
    else:
        assert read_number(text).value == value


@given(DECIMALS)
def test_the_suggested_spelling_always_reads_back(value):
    assert read_number(unambiguous_text(value)).value == value


@given(DECIMALS.filter(lambda v: abs(v) >= 1000))
def test_a_decimal_grouped_with_spaces_reads_back(value):
    assert read_number(vn(value).replace(".", "\u00a0")).value == value


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_a_whole_number_written_the_vietnamese_way_reads_back_in_a_whole_number_field(number):
    assert read_number(vn(Decimal(number)), whole=True).value == number


@given(st.decimals(min_value=0, max_value=999, places=2, allow_nan=False, allow_infinity=False))
def test_a_percentage_written_the_vietnamese_way_reads_back_in_a_percentage_field(value):
    read = read_number(f"{vn(value)} %", percent=True)
    assert read.value == value and read.percent_sign
