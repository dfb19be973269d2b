"""Vietnamese text helpers of the report: dates in the NĐ 30 form, capitalisation, paragraphs, shared phrases."""

from __future__ import annotations

import datetime as dt

DOTS = "…"
NO_EXPLANATION = "chưa có giải trình"
MINISTRY = "Bộ Nội vụ"
DEPARTMENT = "Sở Nội vụ"


def evaluator(result) -> str:
    """Who evaluates the unit and runs its survey: Bộ Nội vụ for a province, Sở Nội vụ for a province's own sở and
    xã (its own index)."""
    return MINISTRY if result.unit.level == "tinh" else DEPARTMENT


def vn_date(day: dt.date | None) -> str:
    """NĐ 30 form: days below 10 and the months 1 and 2 take a leading zero ("ngày 05 tháng 01 năm 2025")."""
    if day is None:
        return f"ngày {DOTS} tháng {DOTS} năm {DOTS}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: dt.date | None) -> str:
    return DOTS if day is None else f"{day:%d/%m/%Y}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def sentence(text: str) -> str:
    """A text ending as a sentence does (a full stop added where it has no final punctuation)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…:;" else text + "."


def survey_owner(plan) -> str:
    """Who runs a unit's survey, as a plan says it: the unit never scores it itself."""
    if plan.unit.level == "tinh":
        return "do Bộ Nội vụ đánh giá, tỉnh không tự chấm"
    return f"do {evaluator(plan)} đánh giá, đơn vị không tự chấm"
