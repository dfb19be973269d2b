"""Numbers typed into the workspace's forms, read the Vietnamese way and never guessed.

"12,5" and "12.5" are 12,5; "10 120", "10.120.000" and "1.234,5" group thousands; a text that reads two ways —
"10.120" or "10,120" (ten thousand one hundred twenty, or ten point twelve?) — is refused with both readings.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from par_score.numbers import plain, vn

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_GROUPED_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_AMBIGUOUS = re.compile(r"^[1-9]\d{0,2}[.,]\d{3}$")


class NumberError(ValueError):
    pass


def parse_number(text: str) -> Decimal:
    raw = _SPACES.sub("", text or "")
    sign = ""
    if raw and raw[0] in "+-":
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:]
    if not raw:
        raise NumberError("cần một số")
    if _AMBIGUOUS.match(raw):
        integer, fraction = re.split(r"[.,]", raw)
        grouped = Decimal(integer + fraction)
        decimal_reading = Decimal(f"{integer}.{fraction}")
        raise NumberError(
            f"'{text.strip()}' đọc được hai cách: {vn(grouped)} hoặc {vn(decimal_reading)}; "
            f"hãy viết {plain(grouped)} hoặc {vn(decimal_reading)}"
        )
    if _GROUPED_DOTS.match(raw):  # 10.120.000 or 1.234,5: dots group thousands, a comma marks decimals
        normal = raw.replace(".", "").replace(",", ".")
    elif raw.count(",") == 1 and "." not in raw:
        normal = raw.replace(",", ".")
    elif raw.count(".") <= 1 and "," not in raw:
        normal = raw
    else:
        raise NumberError(
            f"'{text.strip()}' không phải số hợp lệ; dùng dấu phẩy cho phần thập phân (12,5) và không dùng dấu "
            "phân cách hàng nghìn hoặc dùng dấu chấm (10.120.000)"
        )
    if not re.fullmatch(r"\d+(\.\d+)?", normal):
        raise NumberError(f"'{text.strip()}' không phải số; ví dụ: 47, 97,5 hoặc 10.120.000")
    try:
        return Decimal(sign + normal)
    except InvalidOperation:
        raise NumberError(f"'{text.strip()}' không phải số") from None


def form_text(value: Decimal | str | int | None) -> str:
    """A stored number as the form shows it again: decimal comma, no grouping (so it reads back the same)."""
    if value is None or value == "":
        return ""
    return plain(Decimal(str(value))).replace(".", ",")
