"""Exact decimals, their Vietnamese rendering (decimal comma: 0,5; 88,54 %), and the one reader of numbers typed by
people (read_number)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def to_decimal(value: object) -> Decimal:
    """Exact Decimal from an int, a Decimal or a machine decimal string ("0.25": catalogues, saved results); bools are
    refused. Numbers typed by people are read by read_number."""
    if isinstance(value, bool):
        raise ValueError("không phải là số")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # Only spreadsheets hand us floats; their shortest repr is the number the user typed.
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise ValueError(f"'{shown}' không phải là số") from None
    else:
        raise ValueError("không phải là số")
    if not result.is_finite():
        raise ValueError("phải là số hữu hạn")
    return result


def bounded_decimal(value: object, *, integer_digits: int, places: int) -> Decimal:
    """to_decimal, refusing an absurd size (1e999999, 1e-999999999) before any arithmetic: at most
    `integer_digits` digits before the decimal point and `places` after it (ValueError in Vietnamese)."""
    number = to_decimal(value)
    if number.adjusted() >= integer_digits:
        raise ValueError(f"số quá lớn (tối đa {integer_digits} chữ số phần nguyên)")
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        raise ValueError(f"số có quá nhiều chữ số thập phân (tối đa {places})")
    return number


def round_half_up(value: Decimal, quantum: Decimal = CENT) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """Canonical machine text of a decimal: no exponent, no trailing zeros, no negative zero ("0.5", "62")."""
    if value == 0:
        return "0"
    if value == value.to_integral_value():
        return str(value.quantize(ONE))
    text = format(value.normalize(), "f")
    return text


def _group_thousands(integer_part: str) -> str:
    sign = "-" if integer_part.startswith("-") else ""
    digits = integer_part.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + ".".join(groups)


def vn(value: Decimal | None, places: int | None = None, *, empty: str = "—") -> str:
    """Vietnamese number: decimal comma, dot for thousands; trailing zeros dropped unless `places` is given."""
    if value is None:
        return empty
    if places is not None:
        value = round_half_up(value, Decimal(1).scaleb(-places))
        text = format(value.copy_abs() if value == 0 else value, "f")  # never "-0,00"
    else:
        text = plain(value)
    integer_part, _, fraction = text.partition(".")
    integer_part = _group_thousands(integer_part)
    return f"{integer_part},{fraction}" if fraction else integer_part


MINUS = "\u2212"  # a real minus sign: prose never shows a hyphen before a number


def vn_signed(value: Decimal | None, places: int | None = None, *, empty: str = "—") -> str:
    """vn() with a real minus sign ("−0,5"), for sentences a person reads (reports, plans)."""
    text = vn(value, places, empty=empty)
    return MINUS + text[1:] if text.startswith("-") else text


def vn_percent(value: Decimal | None, places: int = 2, *, empty: str = "—") -> str:
    """A percentage already in percent units: 88.54 → '88,54 %'."""
    if value is None:
        return empty
    return f"{vn(value, places)} %"


def vn_ratio_percent(ratio: Decimal | None, *, empty: str = "—") -> str:
    """A ratio shown as a percent (0.7999 → '79,99 %'); see vn_exact_percent."""
    return empty if ratio is None else vn_exact_percent(ratio * HUNDRED)


def vn_exact_percent(percent: Decimal | None, *, empty: str = "—") -> str:
    """A percentage as it is when it has at most 4 decimals ("79,99 %", "80 %"), otherwise truncated to 4 decimals
    and marked "≈" — truncation never makes a value look as if it reached a threshold it missed."""
    if percent is None:
        return empty
    shown = percent.quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
    return f"{vn(percent)} %" if shown == percent else f"≈ {vn(shown)} %"


# ---- numbers as people write them ---------------------------------------------------------------------------------
# The one reader of numbers typed by people: YAML/JSON text values, workbook text cells, form data, CLI options.
# (A YAML or JSON number written as a number is already exact and unambiguous: it never comes here.)
#
# Vietnamese convention: "." or a space groups thousands, "," is the decimal mark ("10.120", "10 120", "1.234,5",
# "12,5"). "." is also read as a decimal point where it cannot be a thousands separator ("97.5", "0.125",
# "1.234,5" aside), so that machine text and English spreadsheets read right. Exactly:
#   1. both "." and ",": the last one is the decimal mark, the other groups thousands ("1.234,5", "1,234.5");
#   2. a mark written twice or more groups thousands ("1.234.567", "1,234,567"); so does a space ("10 120");
#   3. one "," is the decimal comma ("12,5", "0,125") — but "10,000", "1,234" (1–3 digits, no leading 0, then
#      exactly three) read as ten or ten thousand: refused, naming both readings;
#   4. one "." is a decimal point ("97.5", "0.125") — but followed by exactly three digits after 1–3 digits (no
#      leading 0) it groups thousands when the last digit is 0 ("10.120" = 10120: nobody writes a decimal with a
#      trailing zero) or the field takes whole numbers only; otherwise ("1.234") it is refused, naming both readings;
#   5. thousands groups have exactly three digits; one leading sign (+, -, −); "1e5" scientific form is accepted.
# Where a percentage is asked for, a trailing "%" is accepted (and marks the value as one; elsewhere it is refused),
# and one mark followed by three digits is the decimal mark ("91.149", "91,149", "1,500"): read as thousands it would
# be a percentage of 1 000 % or more, which no indicator reports — except "." before three digits ending in 0
# ("1.000", "1.500"), where the decimal reading is as unusual as the other: refused.
MAX_NUMBER_TEXT = 80
_SPACE_SEPARATORS = str.maketrans({c: " " for c in "\u00a0\u202f\u2009\u2007"})
_SCIENTIFIC = re.compile(r"[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+")
_NUMBER_CHARS = re.compile(r"[0-9., ]*[0-9][0-9., ]*")
WRITE_LIKE = "viết số như 1234, 10.120, 97,5 hoặc 1.234,5"


class NumberError(ValueError):
    """A text that is not a number, or that reads two ways (`readings`); the message says how to write it."""

    def __init__(self, message: str, readings: tuple[Decimal, ...] = ()):
        super().__init__(message)
        self.readings = readings


@dataclass(frozen=True)
class ReadNumber:
    value: Decimal
    percent_sign: bool = False  # the text ended with "%": a percentage by the writer's own word


@dataclass(frozen=True)
class StatedPercent:
    """A percentage whose unit its source stated (a cell formatted as a percentage): never taken for a fraction."""

    value: Decimal


def _leading_group(digits: str) -> bool:
    """Whether `digits` can open a number grouped by thousands: 1–3 digits, no leading zero."""
    return 1 <= len(digits) <= 3 and digits.isdigit() and not digits.startswith("0")


def unambiguous_text(value: Decimal) -> str:
    """`value` written so that read_number reads it one way only: decimal comma, no grouping ("1,2340" for 1,234)."""
    integer, _, fraction = plain(value).partition(".")
    if len(fraction) == 3 and _leading_group(integer.lstrip("-")):
        fraction += "0"
    return f"{integer},{fraction}" if fraction else integer


def _ambiguous(original: str, mark: str, sign: str, head: str, tail: str) -> NumberError:
    grouped = Decimal(f"{sign}{head}{tail}")
    decimal = Decimal(f"{sign}{head}.{tail}")
    readings = [(grouped, f"dấu '{mark}' phân cách hàng nghìn"), (decimal, f"dấu '{mark}' là dấu thập phân")]
    if mark == ",":
        readings.reverse()  # the Vietnamese reading first
    shown = " hoặc ".join(f"{plain(v) if v == v.to_integral_value() else vn(v)} ({why})" for v, why in readings)
    write = " hoặc ".join(unambiguous_text(v) for v, _ in readings)
    return NumberError(
        f"'{original}' đọc được hai cách: {shown}; không đoán — hãy viết {write}", tuple(v for v, _ in readings)
    )


def _not_a_number(original: str) -> NumberError:
    return NumberError(f"'{original}' không phải là số")


def _grouped(integer: str, separator: str, original: str) -> str:
    groups = integer.split(separator)
    if not _leading_group(groups[0]) or any(len(g) != 3 or not g.isdigit() for g in groups[1:]):
        raise NumberError(
            f"'{original}': nhóm hàng nghìn phải đủ 3 chữ số (vd. 1.234.567 hoặc 1 234 567); {WRITE_LIKE}"
        )
    return "".join(groups)


def read_number(text: str, *, percent: bool = False, whole: bool = False) -> ReadNumber:
    """A number typed by a person, read exactly by the rules above; NumberError (Vietnamese) when it is not one or
    reads two ways. `percent`: the field asks for a percentage (a trailing "%" is allowed; "91.149" is 91,149);
    `whole`: the field takes whole numbers only (which settles "1.234")."""
    original = text.strip()
    if len(original) > MAX_NUMBER_TEXT:
        raise NumberError(f"số quá dài (tối đa {MAX_NUMBER_TEXT} ký tự)")
    body = original.translate(_SPACE_SEPARATORS)
    percent_sign = body.endswith("%")
    if percent_sign:
        if not percent:
            raise NumberError(
                f"'{original}': dấu % chỉ dùng cho tỷ lệ phần trăm (Tỷ lệ (%)); ở đây hãy nhập số không kèm dấu %"
            )
        body = body[:-1].rstrip()
    sign = ""
    if body[:1] in ("+", "-", "\u2212"):
        sign = "" if body[0] == "+" else "-"
        body = body[1:]
    if _SCIENTIFIC.fullmatch(body):
        return ReadNumber(Decimal(sign + body), percent_sign)
    if not _NUMBER_CHARS.fullmatch(body) or body != body.strip() or "  " in body:
        raise _not_a_number(original)
    spaced = " " in body
    dots, commas = body.count("."), body.count(",")
    decimal_mark: str | None = None
    thousands: str | None = " " if spaced else None
    if dots and commas:
        decimal_mark = "." if body.rfind(".") > body.rfind(",") else ","
        other = "," if decimal_mark == "." else "."
        if body.count(decimal_mark) > 1 or spaced:
            raise _not_a_number(original)
        thousands = other
    elif dots > 1 or commas > 1:
        if spaced:
            raise _not_a_number(original)
        thousands = "." if dots else ","
    elif dots or commas:
        mark = "." if dots else ","
        head, tail = body.split(mark)
        if not spaced and len(tail) == 3 and _leading_group(head) and not (percent and not tail.endswith("0")):
            if mark == "," and percent:
                decimal_mark = mark  # 1,500 % is one and a half per cent: 1 500 % is no indicator's figure
            elif mark == "," or not (whole or tail.endswith("0")) or percent:
                raise _ambiguous(original, mark, sign, head, tail)
            else:
                thousands = "."
        else:
            decimal_mark = mark
    integer, _, fraction = body.partition(decimal_mark) if decimal_mark else (body, "", "")
    if decimal_mark and (not fraction.isdigit() or (not integer and not fraction)):
        raise _not_a_number(original)
    if thousands:
        integer = _grouped(integer, thousands, original)
    elif integer and not integer.isdigit():
        raise _not_a_number(original)
    return ReadNumber(Decimal(f"{sign}{integer or '0'}.{fraction}" if fraction else f"{sign}{integer}"), percent_sign)
