"""Exact decimals and their Vietnamese rendering (decimal comma: 0,5; 88,54 %)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def to_decimal(value: object) -> Decimal:
    """Exact Decimal from an int, a Decimal or a decimal string; bools and binary floats are refused."""
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
            raise ValueError(f"'{value}' không phải là số") from None
    else:
        raise ValueError("không phải là số")
    if not result.is_finite():
        raise ValueError("phải là số hữu hạn")
    return result


def round_half_up(value: Decimal, quantum: Decimal = CENT) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """Canonical machine text of a decimal: no exponent, no trailing zeros ("0.5", "62", "88.54")."""
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
        text = format(value, "f")
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
