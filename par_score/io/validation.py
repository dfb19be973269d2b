"""Turn pydantic validation errors into located Vietnamese problems (file, record, field)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from par_score.errors import InputError, ParScoreError, Problem
from par_score.io.formats import FORMATS
from par_score.io.text import shorten

M = TypeVar("M", bound=BaseModel)

_KEY_FIELDS = ("id", "code", "indicator", "criterion", "item")

_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được phép (không có trong định dạng)",
    "string_type": "phải là chuỗi văn bản",
    "string_too_short": "không được để trống",
    "string_pattern_mismatch": "sai định dạng",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "decimal_type": "phải là số",
    "decimal_parsing": "phải là số",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "date_type": "phải là ngày (YYYY-MM-DD)",
    "date_parsing": "phải là ngày hợp lệ (YYYY-MM-DD)",
    "date_from_datetime_parsing": "phải là ngày hợp lệ (YYYY-MM-DD)",
    "date_from_datetime_inexact": "phải là ngày, không kèm giờ",
    "list_type": "phải là danh sách",
    "dict_type": "phải là một bản ghi (khóa: giá trị)",
    "model_type": "phải là một bản ghi (khóa: giá trị)",
    "model_attributes_type": "phải là một bản ghi (khóa: giá trị)",
    "too_short": "không được để trống",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "less_than": "phải nhỏ hơn {lt}",
    "literal_error": "giá trị không hợp lệ; chỉ chấp nhận: {expected}",
    "enum": "giá trị không hợp lệ; chỉ chấp nhận: {expected}",
    "union_tag_invalid": "loại '{tag}' không hợp lệ; chỉ chấp nhận: {expected_tags}",
    "union_tag_not_found": "thiếu trường phân loại '{discriminator}'",
    "frozen_instance": "không được sửa",
    "string_too_long": "quá dài (tối đa {max_length} ký tự)",
    "too_long": "quá nhiều phần tử (tối đa {max_length})",
    "invalid_key": "khóa phải là chuỗi văn bản",
    "int_parsing_size": "số nguyên quá lớn",
    "string_unicode": "phải là văn bản Unicode hợp lệ",
    "datetime_type": "phải là ngày giờ hợp lệ",
    "datetime_parsing": "phải là ngày giờ hợp lệ",
    "finite_number": "phải là số hữu hạn",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "decimal_max_digits": "có quá nhiều chữ số",
    "decimal_max_places": "có quá nhiều chữ số thập phân",
    "decimal_whole_digits": "phần nguyên có quá nhiều chữ số",
    "multiple_of": "phải là bội số của {multiple_of}",
    "none_required": "phải để trống",
    "set_type": "phải là danh sách",
    "tuple_type": "phải là danh sách",
}
FALLBACK_MESSAGE = "giá trị không hợp lệ"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown_input(value: object, limit: int = 60) -> str:
    """A value as typed, safe to print in a message: control characters replaced, long text cut."""
    text = _CONTROL.sub("?", str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        text_format = FORMATS.get(str(ctx.get("pattern")))
        given = error.get("input")
        if text_format is not None:
            return f"'{shown_input(given)}' sai định dạng: {text_format.hint(given)}"
        return f"'{shown_input(given)}' sai định dạng"
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", error.get("msg", "")))
        return text.removeprefix("Value error, ")
    template = _MESSAGES.get(kind)
    if template is None:
        return FALLBACK_MESSAGE  # pydantic's own text is English: never shown to a user
    try:
        return template.format(**{k: str(v).replace("'", "").replace(" or ", " hoặc ") for k, v in ctx.items()})
    except (KeyError, IndexError):
        return template


def _describe(item: dict[str, Any], section: str, index: int) -> str:
    label = f"{section} #{index + 1}"
    for key in _KEY_FIELDS:
        value = item.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return f"{label} ({key}: {shorten(value)})"
    return label


def locate(raw: Any, loc: tuple[Any, ...]) -> tuple[str | None, str | None]:
    """Return (record, field) for a pydantic location inside the raw data."""
    record: str | None = None
    field_parts: list[str] = []
    node = raw
    section = ""
    for part in loc:
        if isinstance(node, dict) and part == node.get("type") and part not in node:
            continue  # a discriminated union's tag
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            field_parts.append(part)
            section = part
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            element = node[part]
            described = _describe(element, section or "phần tử", part) if isinstance(element, dict) else None
            record = (f"{record} › " if record else "") + (described or f"{section} #{part + 1}")
            field_parts = []
            node = element
        elif isinstance(node, dict) and isinstance(part, str) and not part[:1].isupper() and "[" not in part:
            # A missing or unknown key: it is the field itself.
            field_parts.append(part)
            node = None
        elif isinstance(node, dict) and not isinstance(part, str) and part in node:
            field_parts.append(str(part))  # a key that is not text (invalid_key): name it as it was written
            node = None
        # Other parts are pydantic's union/discriminator tags: not part of the user's data.
    field = ".".join(field_parts) or None
    return record, field


def located_problems(
    exc: ValidationError, raw: Any, file: str | None, prefix: tuple[Any, ...] = ()
) -> list[tuple[tuple[Any, ...], Problem]]:
    """(pydantic location, problem) for each error, located in `raw`.

    `prefix` is where the validated value sits inside `raw`: a record validated on its own, ("metrics", 3), is named
    exactly as if the whole file had been validated ("metrics #4 (indicator: …)").
    """
    found = []
    for error in exc.errors():
        loc = (*prefix, *error["loc"])
        record, field = locate(raw, loc)
        found.append((loc, Problem(_message(error), file=file, record=record, field=field)))
    return found


def problems_from(exc: ValidationError, raw: Any, file: str | None, prefix: tuple[Any, ...] = ()) -> list[Problem]:
    return list(dict.fromkeys(problem for _, problem in located_problems(exc, raw, file, prefix)))


def validated(model: type[M], raw: Any, file: str, error: type[ParScoreError] = InputError) -> M:
    """`raw` (a file's parsed content) as `model`; otherwise `error` with the located problems."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise error(problems_from(exc, raw, file)) from None
