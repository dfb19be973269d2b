"""The text formats that codes and ids must follow, each with the words a person needs when one is wrong: the
expected form, an example and, for ids typed by hand, a suggestion built from what was typed.

Models declare their patterns from here (`Field(pattern=RECORD_ID.pattern)`); io.validation turns a pattern
mismatch into "sai định dạng: cần …; vd. …" with these words, whatever model raised it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass


def _ascii_words(text: str) -> str:
    """Vietnamese text without diacritics ("Kế hoạch đào tạo" → "Ke hoach dao tao")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def suggest_record_id(text: str) -> str:
    """A document id made from what was typed: "KH số 12/KH-UBND" → "kh-so-12-kh-ubnd"."""
    slug = re.sub(r"[^a-z0-9_.]+", "-", _ascii_words(text).lower()).strip("-_.")
    return slug[:60].rstrip("-_.")


def suggest_identifier(text: str) -> str:
    """A catalogue-style code made from what was typed: "Kế hoạch CCHC" → "ke_hoach_cchc"."""
    slug = re.sub(r"[^a-z0-9]+", "_", _ascii_words(text).lower()).strip("_")
    return slug[:60].rstrip("_")


def suggest_unit_code(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii_words(text).lower()).strip("-")
    return slug[:60].rstrip("-")


@dataclass(frozen=True)
class TextFormat:
    pattern: str
    form: str  # the expected form, in words
    example: str
    suggest: Callable[[str], str] | None = None

    def hint(self, given: object = None) -> str:
        """ "cần …; vd. …", with a suggestion made from `given` when one helps."""
        text = f"cần {self.form}; vd. {self.example}"
        if self.suggest is not None and isinstance(given, str):
            suggestion = self.suggest(given)
            if suggestion and suggestion != given and re.fullmatch(self.pattern, suggestion):
                text += f"; gợi ý: {suggestion}"
        return text


RECORD_ID = TextFormat(
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
    "chữ cái không dấu, chữ số và các dấu - _ . (không dấu cách, không dấu /), bắt đầu bằng chữ hoặc số",
    "kh-cchc-2024",
    suggest_record_id,
)
IDENTIFIER = TextFormat(
    r"^[a-z0-9][a-z0-9_]*$",
    "chữ thường không dấu, chữ số và dấu gạch dưới _ (không dấu cách), bắt đầu bằng chữ hoặc số",
    "ke_hoach_cchc_nam",
    suggest_identifier,
)
CODE = TextFormat(r"^[0-9]+(\.[0-9]+)*$", "mã tiêu chí gồm các số cách nhau bằng dấu chấm", "1.1.2")
UNIT_CODE = TextFormat(
    r"^[a-z0-9][a-z0-9\-]*$",
    "chữ thường không dấu, chữ số và dấu gạch ngang - (không dấu cách)",
    "tay-ninh",
    suggest_unit_code,
)
CATALOGUE_ID = TextFormat(
    r"^[a-z0-9][a-z0-9-]*$", "chữ thường không dấu, chữ số và dấu gạch ngang -", "par-tinh-tham-chieu-2024"
)
SHA256 = TextFormat(
    r"^[0-9a-f]{64}$", "mã băm SHA-256: đúng 64 ký tự 0-9, a-f (chữ thường)", "e3b0c442…b855 (64 ký tự)"
)
MONTH_DAY = TextFormat(
    r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]|end)$",
    "tháng-ngày dạng MM-DD (hai chữ số mỗi phần), hoặc MM-end cho ngày cuối tháng",
    "01-31",
)
ANSWER_LETTER = TextFormat(r"^[A-Z]$", "một chữ cái in hoa (phương án trả lời)", "A")
RUN_ID = TextFormat(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
    "mã lần chạy dạng UUID 4",
    "0f8fad5b-d9cb-469f-a165-70867728950e",
)
UTC_TIME = TextFormat(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", "thời điểm UTC dạng YYYY-MM-DDThh:mm:ssZ", "2025-01-10T08:30:00Z"
)

BONUS_CODE = TextFormat(r"^T[0-9]+$", "mã điểm thưởng: chữ T rồi các chữ số", "T1")
DEDUCTION_CODE = TextFormat(r"^TR[0-9]+$", "mã điểm trừ: chữ TR rồi các chữ số", "TR2")
DEDUCTION_TARGET = TextFormat(
    r"^(total|[0-9]+(\.[0-9]+)?)$", "total (trừ vào tổng), hoặc mã lĩnh vực hay tiêu chí", "3.1"
)
FORMATS = {
    f.pattern: f
    for f in (
        RECORD_ID,
        IDENTIFIER,
        CODE,
        UNIT_CODE,
        CATALOGUE_ID,
        SHA256,
        MONTH_DAY,
        ANSWER_LETTER,
        RUN_ID,
        UTC_TIME,
        BONUS_CODE,
        DEDUCTION_CODE,
        DEDUCTION_TARGET,
    )
}
