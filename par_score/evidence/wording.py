"""Messages name a field the way its reader sees it: a workbook column ('Tử số') in a workbook, the Vietnamese word
and the field name ("tử số (numerator)") in a YAML/JSON file.

A message is written once with tokens — `field_word("numerator")`, `section_word("not_applicable")` (worded "ở sheet
'Không phát sinh'" or "not_applicable") — and worded
where its place is known: the workbook reader and the checks word it with the row's column headers, the YAML loader
with the field names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

FIELD_WORDS = {
    "numerator": "tử số",
    "denominator": "mẫu số",
    "percent": "tỷ lệ (%)",
    "value": "giá trị",
    "period": "kỳ",
    "source": "nguồn",
    "documents": "văn bản kèm theo",
    "reason": "lý do",
    "answers": "số phiếu",
    "kind": "loại văn bản",
    "number": "số, ký hiệu",
    "issuer": "cơ quan ban hành",
    "issue_date": "ngày ban hành",
    "sent_date": "ngày gửi",
    "title": "trích yếu",
    "topics": "chủ đề",
    "topic": "chủ đề",
    "locator": "vị trí trong văn bản",
    "file": "tệp đính kèm",
    "file.path": "tệp đính kèm",
    "contributor": "đơn vị đóng góp",
    "contributors": "đơn vị đóng góp",
    "last_year": "số liệu năm trước",
    "note": "ghi chú",
    "indicator": "mã chỉ số",
    "criterion": "mã tiêu chí",
    "item": "mục điều tra",
    "id": "mã văn bản",
    "text": "giải trình",
}
_TOKEN = re.compile(r"\{(field|section):([a-z_.]+)\}")


def field_word(name: str) -> str:
    return "{field:" + name + "}"


def section_word(name: str) -> str:
    return "{section:" + name + "}"


def worded(message: str, columns: Mapping[str, str] | None = None, sheets: Mapping[str, str] | None = None) -> str:
    """`message` with its tokens worded: with `columns` (field → column header) and `sheets` (section → sheet name)
    for a workbook, else for a YAML/JSON file."""
    workbook = bool(columns)

    def word(found: re.Match) -> str:
        kind, name = found.group(1), found.group(2)
        if kind == "section":
            if workbook and sheets and name in sheets:
                return f"ở sheet '{sheets[name]}'"
            return name  # a YAML/JSON file names a section by its key: "not_applicable"
        if workbook and columns and name in columns:
            return f"cột '{columns[name]}'"
        vietnamese = FIELD_WORDS.get(name)
        return f"{vietnamese} ({name})" if vietnamese and not workbook else (vietnamese or name)

    return _TOKEN.sub(word, message)
