"""What document `report` makes, and what would make it wrong to send (the pre-flight).

- "bao-cao": the Báo cáo kết quả tự đánh giá, chấm điểm to Bộ Nội vụ (a self-assessed result). It never states a
  survey estimate: survey items stay "do Bộ Nội vụ đánh giá".
- "tham-dinh": after thẩm định (an appraised result), the báo cáo tiếp thu, giải trình kết quả thẩm định with its
  own number, date and recipient (the evidence's report.appraisal section). No survey estimate either.
- "xem-truoc": an internal preview (bản xem trước, tài liệu nội bộ): survey estimates from preview figures in
  their own columns, an estimated index, no letterhead number, no recipient, no signature. Never sent.

The first two are letters: while anything a signed letter needs is missing (a giải trình, the number, the date,
the signer's name, the difficulties or proposals) they are made only as drafts stamped "DỰ THẢO" on every page, and
`missing` lists what to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass

from par_score.evidence.model import ReportInfo
from par_score.outputs.report.explanations import needs_explanation
from par_score.outputs.report.figures import sources
from par_score.scoring.result import ScoreResult

LETTER = "bao-cao"
APPRAISED = "tham-dinh"
PREVIEW = "xem-truoc"
KINDS = (LETTER, APPRAISED, PREVIEW)
KIND_NAMES = {
    LETTER: "Báo cáo kết quả tự đánh giá, chấm điểm gửi Bộ Nội vụ",
    APPRAISED: "Báo cáo tiếp thu, giải trình kết quả thẩm định",
    PREVIEW: "Bản xem trước (tài liệu nội bộ, có điểm điều tra xã hội học ước tính)",
}
DRAFT_STAMP = "DỰ THẢO"
PREVIEW_STAMP = "TÀI LIỆU NỘI BỘ"


class KindError(ValueError):
    """The kind asked for does not fit the result (a Vietnamese message for the user)."""


def default_kind(result: ScoreResult) -> str:
    return APPRAISED if result.appraisal is not None else LETTER


def check_kind(result: ScoreResult, kind: str) -> None:
    if kind not in KINDS:
        raise KindError(f"loại văn bản không hỗ trợ: '{kind}' (chọn: {', '.join(KINDS)})")
    if kind == LETTER and result.appraisal is not None:
        raise KindError(
            "kết quả đã thẩm định: văn bản gửi sau thẩm định là 'tham-dinh' (báo cáo tiếp thu, giải trình); "
            "báo cáo tự đánh giá 'bao-cao' lập từ kết quả chưa thẩm định"
        )
    if kind == APPRAISED and result.appraisal is None:
        raise KindError("kết quả chưa thẩm định: báo cáo 'tham-dinh' cần tệp thẩm định (--appraisal)")


@dataclass(frozen=True)
class Preflight:
    kind: str
    missing: tuple[str, ...]
    estimates_left_out: tuple[str, ...]  # survey items whose preview estimates a letter does not state

    @property
    def draft(self) -> bool:
        return self.kind != PREVIEW and bool(self.missing)

    @property
    def stamp(self) -> str:
        if self.kind == PREVIEW:
            return PREVIEW_STAMP
        return DRAFT_STAMP if self.draft else ""


def _letter_fields(info: ReportInfo | None, kind: str) -> list[str]:
    if info is None:
        return ["mục `report` của bộ tài liệu (số, ngày, người ký, khó khăn, kiến nghị)"]
    missing = []
    if kind == APPRAISED:
        after = info.appraisal
        if after is None:
            return ["mục `report.appraisal` (số, ngày của báo cáo sau thẩm định)"]
        if not after.number.strip():
            missing.append("số văn bản của báo cáo sau thẩm định (report.appraisal.number)")
        if after.date is None:
            missing.append("ngày văn bản của báo cáo sau thẩm định (report.appraisal.date)")
        signer = after.signer or info.signer
        if not signer.name.strip():
            missing.append("họ tên người ký (report.appraisal.signer.name hoặc report.signer.name)")
        return missing
    if not info.number.strip():
        missing.append("số văn bản (report.number)")
    if info.date is None:
        missing.append("ngày văn bản (report.date)")
    if not info.signer.name.strip():
        missing.append("họ tên người ký (report.signer.name)")
    if not any(t.strip() for t in info.difficulties):
        missing.append("nội dung khó khăn, vướng mắc (report.difficulties)")
    if not any(t.strip() for t in info.proposals):
        missing.append("nội dung kiến nghị, đề xuất (report.proposals)")
    return missing


def preflight(result: ScoreResult, info: ReportInfo | None, kind: str) -> Preflight:
    """What the document of `kind` lacks before it can be signed, and the estimates it leaves out."""
    check_kind(result, kind)
    src = sources(result, estimates=False)
    estimates = tuple(leaf.code for leaf in result.criteria if leaf.estimated)
    if kind == PREVIEW:
        return Preflight(kind, (), ())
    missing = _letter_fields(info, kind)
    unexplained = [leaf.code for leaf in src.own.criteria if needs_explanation(leaf) and not leaf.explanation]
    if unexplained:
        missing.append(f"giải trình (explanations) cho {len(unexplained)} tiêu chí: {', '.join(unexplained)}")
    return Preflight(kind, tuple(missing), estimates)
