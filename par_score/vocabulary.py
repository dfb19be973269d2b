"""The words par_score uses for what a leaf is and how it ended, as StrEnums: each member is its string value,
which is what JSON holds."""

from __future__ import annotations

from enum import StrEnum


class Source(StrEnum):
    """Where a leaf's points come from."""

    SELF = "self"  # self-scored from evidence (tự đánh giá, chấm điểm)
    SURVEY = "survey"  # Bộ Nội vụ's sociological survey / SIPAS: never self-scored
    STATISTICS = "statistics"  # socio-economic figures supplied by a named outside body: never self-scored

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    Source.SELF: "tự đánh giá",
    Source.SURVEY: "điều tra xã hội học",
    Source.STATISTICS: "số liệu thống kê",
}


class LeafState(StrEnum):
    """A leaf's situation, decided from the evidence before any band is tried."""

    VALUE = "value"
    MISSING = "missing"
    NOT_ACHIEVED = "not_achieved"
    NOT_APPLICABLE = "not_applicable"
    SURVEY_PENDING = "survey_pending"
    OUT_OF_SCOPE = "out_of_scope"
    STATISTICS_PENDING = "statistics_pending"
    NOT_FOR_PROFILE = "not_for_profile"  # excluded by the unit's profile (loại đơn vị)

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    LeafState.VALUE: "có tài liệu kiểm chứng",
    LeafState.MISSING: "không có tài liệu kiểm chứng",
    LeafState.NOT_ACHIEVED: "khai báo không đạt",
    LeafState.NOT_APPLICABLE: "khai báo không phát sinh",
    LeafState.SURVEY_PENDING: "chưa có số liệu điều tra",
    LeafState.OUT_OF_SCOPE: "ngoài phạm vi",
    LeafState.STATISTICS_PENDING: "chưa có số liệu thống kê",
    LeafState.NOT_FOR_PROFILE: "không áp dụng đối với loại đơn vị",
}


class Status(StrEnum):
    """How a scored leaf ended; the order is the order of status counts in every output."""

    FULL = "full"
    PARTIAL = "partial"
    ZERO = "zero"
    NOT_ACHIEVED = "not_achieved"
    MISSING_EVIDENCE = "missing_evidence"
    NOT_APPLICABLE_FULL = "not_applicable_full"
    NOT_APPLICABLE_EXCLUDED = "not_applicable_excluded"
    SURVEY_PENDING = "survey_pending"
    SURVEY_ESTIMATED = "survey_estimated"
    STATISTICS_PENDING = "statistics_pending"
    OUT_OF_SCOPE = "out_of_scope"
    NOT_FOR_PROFILE = "not_for_profile"
    BONUS_NOT_CLAIMED = "bonus_not_claimed"  # a bonus item (điểm thưởng) the unit does not claim
    NO_DEDUCTION = "no_deduction"  # a deduction item (điểm trừ) with no finding (or none reported): nothing deducted
    DEDUCTED = "deducted"  # a deduction item with findings: points deducted

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.FULL: "đạt điểm tối đa",
    Status.PARTIAL: "đạt một phần",
    Status.ZERO: "không đạt",
    Status.NOT_ACHIEVED: "không đạt — đơn vị khai báo chưa thực hiện",
    Status.MISSING_EVIDENCE: "thiếu tài liệu kiểm chứng — cần giải trình",
    Status.NOT_APPLICABLE_FULL: "không phát sinh — đạt điểm tối đa",
    Status.NOT_APPLICABLE_EXCLUDED: "không phát sinh — không tính vào điểm tối đa",
    Status.SURVEY_PENDING: "chờ Bộ Nội vụ đánh giá",
    Status.SURVEY_ESTIMATED: "ước tính từ số liệu điều tra (xem trước)",
    Status.STATISTICS_PENDING: "chờ số liệu thống kê",
    Status.OUT_OF_SCOPE: "ngoài phạm vi của cơ quan",
    Status.NOT_FOR_PROFILE: "không áp dụng đối với loại đơn vị",
    Status.BONUS_NOT_CLAIMED: "không đề nghị điểm thưởng",
    Status.NO_DEDUCTION: "không bị trừ điểm",
    Status.DEDUCTED: "bị trừ điểm",
}


def status_label(status: Status, supplier: str | None = None) -> str:
    """A leaf's status in words; a survey or statistics item still awaited names who supplies it, when known."""
    if supplier and status == Status.SURVEY_PENDING:
        return f"chờ {supplier} cung cấp số liệu điều tra"
    if supplier and status == Status.STATISTICS_PENDING:
        return f"chờ số liệu thống kê do {supplier} cung cấp"
    return status.label


# A band either scores from the evidence (its status then follows from the points: full, partial or zero) or
# stands for one of the statuses that are not about points.
SCORED = "scored"


class Combine(StrEnum):
    """How the evidence of several contributors (agencies, units) makes one leaf's input."""

    ONE = "one"  # an indicator takes one figure: a second is refused
    SUM = "sum"  # an indicator's figures are summed: numerators and denominators, or values, one per contributor
    ANY = "any"  # any document on the topic counts
    ALL_OF = "all_of"  # a document from the lead agency and from each co-responsible agency (phối hợp)


class NotApplicablePolicy(StrEnum):
    """What a "không phát sinh" declaration earns, per leaf."""

    NONE = "none"  # cannot be declared
    FULL = "full"  # full marks
    EXCLUDE = "exclude"  # the leaf leaves the applicable maximum


UNIT_LEVEL_NAMES = {"tinh": "cấp tỉnh", "so": "cấp sở", "huyen": "cấp huyện", "xa": "cấp xã"}
