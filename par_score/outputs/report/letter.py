"""The letter's own data (NĐ 30/2020): letterhead, number, place and date, summary line, signature, recipients."""

from __future__ import annotations

from dataclasses import dataclass

from par_score.evidence.model import ReportInfo, Signer
from par_score.outputs.report.formatting import (
    DOTS,
    lower_first,
    paragraphs,
    short_date,
    vn_date,
)
from par_score.scoring.result import ScoreResult

UNIT_PREFIXES = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Quận ", "Xã ", "Phường ", "Thị trấn ")


@dataclass(frozen=True)
class Letter:
    parent_body: str | None
    issuing_body: str
    number: str
    place_date: str
    summary: str
    unit: str
    author: str
    reference: str
    signer: Signer
    signer_name: str
    recipients: list[str]
    difficulties: list[list[str]]
    proposals: list[list[str]]


def author_name(result: ScoreResult) -> str:
    """The issuing body in running text: "Ủy ban nhân dân tỉnh Tây Ninh" (a sở signs in its own name)."""
    unit = result.unit
    if unit.level in ("tinh", "huyen", "xa"):
        return f"Ủy ban nhân dân {lower_first(unit.name)}"
    return unit.name


def default_place(unit_name: str) -> str:
    for prefix in UNIT_PREFIXES:
        if unit_name.startswith(prefix) and len(unit_name) > len(prefix):
            return unit_name[len(prefix) :]
    return DOTS


def report_number(number: str) -> str:
    number = number.strip()
    if not number:
        return f"{DOTS}/BC-UBND"
    return number if "/" in number else f"{number}/BC-UBND"


def summary_line(result: ScoreResult) -> str:
    """The line under "BÁO CÁO"; an appraised result reports the appraisal (thẩm định) as well."""
    subject = "Kết quả tự đánh giá, chấm điểm"
    if result.appraisal is not None:
        subject += " và kết quả thẩm định"
    return f"{subject} xác định Chỉ số cải cách hành chính năm {result.year} của {lower_first(result.unit.name)}"


def letter(result: ScoreResult, info: ReportInfo | None) -> Letter:
    info = info or ReportInfo()
    author = author_name(result)
    number = report_number(info.number)
    place = info.place.strip() or default_place(result.unit.name)
    date_text = f"ngày {short_date(info.date)}" if info.date else vn_date(None)
    return Letter(
        parent_body=info.parent_body or None,
        issuing_body=info.issuing_body.strip() or author.upper(),
        number=f"Số: {number}",
        place_date=f"{place}, {vn_date(info.date)}",
        summary=summary_line(result),
        unit=lower_first(result.unit.name),
        author=author,
        reference=f"(Kèm theo Báo cáo số {number} {date_text} của {author})",
        signer=info.signer,
        signer_name=info.signer.name.strip() or DOTS,
        recipients=[r.strip() for r in info.recipients if r.strip()] or ["Bộ Nội vụ;", "Lưu: VT."],
        difficulties=[paragraphs(t) for t in info.difficulties if t.strip()],
        proposals=[paragraphs(t) for t in info.proposals if t.strip()],
    )
