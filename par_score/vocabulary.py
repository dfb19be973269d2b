"""The words par_score uses for what a leaf is and how it ended, as StrEnums: each member is its string value,
which is what JSON holds."""

from __future__ import annotations

from enum import StrEnum


class Source(StrEnum):
    """Where a leaf's points come from."""

    SELF = "self"  # self-scored from evidence (tự đánh giá, chấm điểm)
    SURVEY = "survey"  # Bộ Nội vụ's sociological survey / SIPAS: never self-scored


class LeafState(StrEnum):
    """A leaf's situation, decided from the evidence before any band is tried."""

    VALUE = "value"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"
    SURVEY_PENDING = "survey_pending"
    OUT_OF_SCOPE = "out_of_scope"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    LeafState.VALUE: "có tài liệu kiểm chứng",
    LeafState.MISSING: "không có tài liệu kiểm chứng",
    LeafState.NOT_APPLICABLE: "khai báo không phát sinh",
    LeafState.SURVEY_PENDING: "chưa có số liệu điều tra",
    LeafState.OUT_OF_SCOPE: "ngoài phạm vi",
}


class Status(StrEnum):
    """How a scored leaf ended; the order is the order of status counts in every output."""

    FULL = "full"
    PARTIAL = "partial"
    ZERO = "zero"
    MISSING_EVIDENCE = "missing_evidence"
    NOT_APPLICABLE_FULL = "not_applicable_full"
    NOT_APPLICABLE_EXCLUDED = "not_applicable_excluded"
    SURVEY_PENDING = "survey_pending"
    SURVEY_ESTIMATED = "survey_estimated"
    OUT_OF_SCOPE = "out_of_scope"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.FULL: "đạt điểm tối đa",
    Status.PARTIAL: "đạt một phần",
    Status.ZERO: "không đạt",
    Status.MISSING_EVIDENCE: "thiếu tài liệu kiểm chứng — cần giải trình",
    Status.NOT_APPLICABLE_FULL: "không phát sinh — đạt điểm tối đa",
    Status.NOT_APPLICABLE_EXCLUDED: "không phát sinh — không tính vào điểm tối đa",
    Status.SURVEY_PENDING: "chờ Bộ Nội vụ đánh giá",
    Status.SURVEY_ESTIMATED: "ước tính từ số liệu điều tra (xem trước)",
    Status.OUT_OF_SCOPE: "ngoài phạm vi của cơ quan",
}

# A band either scores from the evidence (its status then follows from the points: full, partial or zero) or
# stands for one of the statuses that are not about points.
SCORED = "scored"


class NotApplicablePolicy(StrEnum):
    """What a "không phát sinh" declaration earns, per leaf."""

    NONE = "none"  # cannot be declared
    FULL = "full"  # full marks
    EXCLUDE = "exclude"  # the leaf leaves the applicable maximum


UNIT_LEVEL_NAMES = {"tinh": "cấp tỉnh", "so": "cấp sở", "huyen": "cấp huyện", "xa": "cấp xã"}
