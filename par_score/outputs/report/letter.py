"""The letter's own data (NĐ 30/2020): letterhead, number, place and date, summary line, recipient, opening, signature,
Nơi nhận — for the kind of document made (par_score.outputs.report.kinds)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from par_score.evidence.model import ReportInfo, Signer
from par_score.outputs.report.formatting import (
    DOTS,
    lower_first,
    paragraphs,
    short_date,
    vn_date,
)
from par_score.outputs.report.kinds import APPRAISED, PREVIEW
from par_score.scoring.result import ScoreResult

UNIT_PREFIXES = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Quận ", "Xã ", "Phường ", "Thị trấn ")
PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
DEFAULT_RECIPIENTS = ["Như trên;", "Lưu: VT."]


@dataclass(frozen=True)
class Letter:
    parent_body: list[str]
    issuing_body: list[str]
    number: str
    place_date: str
    kind_title: str  # "BÁO CÁO"
    summary: str
    recipient: str  # Kính gửi
    opening: str
    unit: str
    author: str
    reference: str  # the annex's "(Kèm theo Báo cáo số … ngày … của …)"
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


def body_lines(lines: list[str], result: ScoreResult) -> list[str]:
    """The issuing body as printed: the lines given, else "ỦY BAN NHÂN DÂN" / "TỈNH TÂY NINH" for a people's
    committee. One line given as "ỦY BAN NHÂN DÂN TỈNH TÂY NINH" is broken after "DÂN", as custom sets it."""
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        if result.unit.level in ("tinh", "huyen", "xa"):
            return [PEOPLES_COMMITTEE, result.unit.name.upper()]
        return [result.unit.name.upper()]
    if len(lines) == 1 and lines[0].upper().startswith(PEOPLES_COMMITTEE + " ") and lines[0].isupper():
        return [PEOPLES_COMMITTEE, lines[0][len(PEOPLES_COMMITTEE) :].strip()]
    return lines


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


def summary_line(result: ScoreResult, kind: str) -> str:
    """The line under the document's title."""
    unit = lower_first(result.unit.name)
    if kind == APPRAISED:
        return f"Tiếp thu, giải trình kết quả thẩm định Chỉ số cải cách hành chính năm {result.year} của {unit}"
    return f"Kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính năm {result.year} của {unit}"


def opening(result: ScoreResult, info: ReportInfo, kind: str, author: str) -> str:
    guidance = info.guidance
    if kind == APPRAISED:
        appraisal = result.appraisal
        assert appraisal is not None
        council = f" của {appraisal.council}" if appraisal.council else ""
        when = f" {vn_date(appraisal.date)}" if appraisal.date else ""
        return (
            f"Căn cứ kết quả thẩm định{council}{when} đối với kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách "
            f"hành chính năm {result.year} của {lower_first(result.unit.name)}, {author} báo cáo kết quả thẩm định "
            "và việc tiếp thu, giải trình như sau:"
        )
    if guidance is not None:
        subject = f" {lower_first(guidance.subject.strip().rstrip('.'))}" if guidance.subject.strip() else ""
        source = f"Thực hiện Công văn số {guidance.number} ngày {short_date(guidance.date)} của Bộ Nội vụ{subject}"
    else:
        source = "Thực hiện hướng dẫn của Bộ Nội vụ về việc tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính"
        source += f" năm {result.year}"
    return f"{source}, {author} báo cáo kết quả tự đánh giá, chấm điểm như sau:"


def _dated(number: str, day: dt.date | None) -> tuple[str, str]:
    return report_number(number), (f"ngày {short_date(day)}" if day else vn_date(None))


def letter(result: ScoreResult, info: ReportInfo | None, kind: str) -> Letter:
    info = info or ReportInfo()
    author = author_name(result)
    place = info.place.strip() or default_place(result.unit.name)
    issuing, parent, signer, recipients = info.issuing_body, info.parent_body, info.signer, info.recipients
    number, day, recipient, proposals = info.number, info.date, info.recipient, info.proposals
    difficulties = info.difficulties
    if kind == APPRAISED and info.appraisal is not None:
        after = info.appraisal
        number, day, recipient = after.number, after.date, after.recipient
        issuing = after.issuing_body or issuing
        parent = after.parent_body or parent
        signer = after.signer or signer
        recipients = after.recipients or DEFAULT_RECIPIENTS
        proposals, difficulties = after.proposals, []
    elif kind == APPRAISED:
        number, day, proposals, difficulties = "", None, [], []
    printed_number, date_text = _dated(number, day)
    document = "Báo cáo"
    return Letter(
        parent_body=[line.strip().upper() for line in parent if line.strip()],
        issuing_body=body_lines(issuing, result),
        number=f"Số: {printed_number}",
        place_date=f"{place}, {vn_date(day)}",
        kind_title="BÁO CÁO" if kind != PREVIEW else "BẢN XEM TRƯỚC",
        summary=summary_line(result, kind),
        recipient=recipient.strip().rstrip(".") or "Bộ Nội vụ",
        opening=opening(result, info, kind, author),
        unit=lower_first(result.unit.name),
        author=author,
        reference=f"(Kèm theo {document} số {printed_number} {date_text} của {author})",
        signer=signer,
        signer_name=signer.name.strip() or DOTS,
        recipients=[r.strip() for r in recipients if r.strip()] or DEFAULT_RECIPIENTS,
        difficulties=[paragraphs(t) for t in difficulties if t.strip()],
        proposals=[paragraphs(t) for t in proposals if t.strip()],
    )
