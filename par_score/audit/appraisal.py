"""Appraisal (thẩm định): the council's points per criterion, applied to a self-assessed result.

An appraisal file lists, per leaf criterion, the appraised points, the appraiser, a comment and the round (1 or 2;
round 2 overrides round 1). Applying it gives the final result: every leaf carries its self-assessed, appraised and
final points side by side, and the areas and the index are recomputed from the final points (par_score.scoring.rollup).
Survey items may be appraised too: BNV supplies them, and the appraised value is the official survey value.
Format: evidence/appraisal.md.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from par_score.errors import InputError, Problem
from par_score.evidence.model import StrictDate, control_problem, evidence_number
from par_score.io import formats
from par_score.io.readers import read_bytes_limited, read_structured
from par_score.io.validation import validated
from par_score.numbers import vn
from par_score.scoring import rollup
from par_score.scoring.result import (
    AppraisalRecordOut,
    AreaSelfOut,
    LeafAppraisalOut,
    LeafOut,
    ResultAppraisalOut,
    ScoreResult,
    points_status,
)
from par_score.vocabulary import STATUS_LABELS, Status

APPRAISED_RESULT_FILE = "ket-qua-tham-dinh.json"

NonNegative = Annotated[Decimal, BeforeValidator(evidence_number), Field(ge=0)]  # typed by people: "0,25" reads
Code = Annotated[str, Field(pattern=formats.CODE.pattern, max_length=40)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control(cls, value: Any, info: ValidationInfo) -> Any:
        """Texts that reach the terminal and the report: no control or bidirectional characters (a comment may
        hold several lines)."""
        if isinstance(value, (str, list, dict)):
            problem = control_problem(value, lines=info.field_name == "comment")
            if problem:
                raise ValueError(problem)
        return value


class AppraisalRecord(_Record):
    criterion: Code
    points: NonNegative
    round: Annotated[int, Field(strict=True)] = 1
    appraiser: Annotated[str, Field(min_length=1, max_length=300)]
    comment: Annotated[str, Field(max_length=4000)] = ""

    @field_validator("round")
    @classmethod
    def _one_or_two(cls, value: int) -> int:
        if value not in (1, 2):
            raise ValueError("vòng thẩm định chỉ là 1 hoặc 2 (vòng 2 thay cho vòng 1)")
        return value


class AppraisalFile(_Record):
    format: Literal["par-score/appraisal@1"] | None = None
    unit: Annotated[str, Field(max_length=80)] | None = None
    year: Annotated[int, Field(ge=2000, le=2100, strict=True)] | None = None
    catalogue: Annotated[str, Field(max_length=200)] | None = None
    council: Annotated[str, Field(max_length=500)] | None = None
    date: StrictDate | None = None
    appraisals: list[AppraisalRecord] = Field(min_length=1)


def load_appraisal(path: Path) -> AppraisalFile:
    raw = read_structured(path)
    if not isinstance(raw, dict):
        raise InputError(Problem("tệp thẩm định phải là một bản ghi (khóa: giá trị) ở cấp ngoài cùng", file=str(path)))
    return validated(AppraisalFile, raw, str(path))


# ---- checks against the result -----------------------------------------------------------------------------------
def _label(index: int, record: AppraisalRecord) -> str:
    return f"appraisals #{index + 1} (criterion: {record.criterion})"


def check_appraisal(appraisal: AppraisalFile, result: ScoreResult, file: str, result_file: str | None = None) -> None:
    """Raise InputError listing every record that cannot apply to `result`."""
    problems: list[Problem] = []

    def header(field: str, message: str) -> None:
        problems.append(Problem(message, file=file, field=field))

    if result.appraisal is not None:
        problems.append(
            Problem(
                "kết quả này đã được thẩm định; hãy áp dụng tệp thẩm định cho kết quả tự đánh giá (ket-qua.json)",
                file=result_file,
                field="appraisal",
            )
        )
    if result.scope_agency:
        problems.append(
            Problem(
                f"kết quả chỉ là bản xem trước của cơ quan '{result.scope_agency}'; thẩm định áp dụng cho kết quả của "
                "cả tỉnh",
                file=result_file,
                field="scope_agency",
            )
        )
    if appraisal.unit is not None and appraisal.unit != result.unit.code:
        header("unit", f"tệp thẩm định cho đơn vị '{appraisal.unit}', kết quả là của '{result.unit.code}'")
    if appraisal.year is not None and appraisal.year != result.year:
        header("year", f"tệp thẩm định cho năm {appraisal.year}, kết quả là năm {result.year}")
    if appraisal.catalogue is not None and appraisal.catalogue != result.catalogue.id:
        header(
            "catalogue",
            f"tệp thẩm định theo danh mục '{appraisal.catalogue}', kết quả chấm theo '{result.catalogue.id}'",
        )

    leaves = {leaf.code: leaf for leaf in result.criteria}
    parents = {
        c.code: [leaf.code for leaf in result.criteria if leaf.tc == c.code] for a in result.areas for c in a.criteria
    }
    parents.update({a.code: [] for a in result.areas})
    seen: dict[tuple[str, int], int] = {}
    for i, record in enumerate(appraisal.appraisals):
        label = _label(i, record)

        def add(field: str, message: str, label: str = label) -> None:
            problems.append(Problem(message, file=file, record=label, field=field))

        key = (record.criterion, record.round)
        if key in seen:
            add(
                "round",
                f"tiêu chí {record.criterion} đã có điểm thẩm định vòng {record.round} ở bản ghi #{seen[key] + 1}",
            )
        seen.setdefault(key, i)
        leaf = leaves.get(record.criterion)
        if leaf is None:
            if record.criterion in parents:
                items = ", ".join(parents[record.criterion]) or "các tiêu chí thành phần"
                add(
                    "criterion",
                    f"'{record.criterion}' không phải tiêu chí chấm điểm trực tiếp; hãy thẩm định từng tiêu chí thành "
                    f"phần ({items})",
                )
            else:
                add(
                    "criterion",
                    f"tiêu chí '{record.criterion}' không có trong kết quả (danh mục '{result.catalogue.id}')",
                )
            continue
        if leaf.status == Status.NOT_APPLICABLE_EXCLUDED:
            add(
                "criterion",
                f"tiêu chí {leaf.code} được khai báo không phát sinh và không tính vào điểm tối đa; không thẩm định "
                "điểm cho tiêu chí này",
            )
        elif leaf.status == Status.OUT_OF_SCOPE:
            add("criterion", f"tiêu chí {leaf.code} nằm ngoài phạm vi của kết quả")
        elif leaf.status == Status.NOT_FOR_PROFILE:
            add("criterion", f"tiêu chí {leaf.code} không áp dụng đối với loại đơn vị '{result.unit.profile}'")
        if record.points > leaf.max:
            add(
                "points", f"điểm thẩm định {vn(record.points)} vượt điểm tối đa {vn(leaf.max)} của tiêu chí {leaf.code}"
            )
    if problems:
        raise InputError(problems)


# ---- applying ----------------------------------------------------------------------------------------------------
def _appraised_leaf(leaf: LeafOut, records: list[AppraisalRecord]) -> LeafOut:
    ordered = sorted(records, key=lambda r: r.round)
    history = [
        AppraisalRecordOut(round=r.round, points=r.points, appraiser=r.appraiser, comment=r.comment) for r in ordered
    ]
    if not ordered:
        side = LeafAppraisalOut(self_points=leaf.points, self_status=leaf.status, final_points=leaf.points)
        return leaf.model_copy(update={"appraisal": side})
    governing = ordered[-1]
    final = governing.points
    side = LeafAppraisalOut(
        self_points=leaf.points,
        self_status=leaf.status,
        appraised_points=final,
        final_points=final,
        round=governing.round,
        appraiser=governing.appraiser,
        comment=governing.comment,
        records=history,
    )
    update: dict = {"points": final, "appraisal": side, "estimated": False}
    if leaf.points is None or final != leaf.points or leaf.status == Status.SURVEY_ESTIMATED:  # an official value now
        status = points_status(final, leaf.max)
        update.update(status=status, status_label=STATUS_LABELS[status], applicable=True)
    return leaf.model_copy(update=update)


def recompute(result: ScoreResult, leaves: list[LeafOut]) -> dict:
    """Areas, TCs and totals of `result`'s own tree recomputed from `leaves` (no catalogue needed), with the result's
    own deduction and bonus items applied again to the new points."""
    return rollup.roll_up(result.areas, leaves, bonus=result.bonus, deductions=result.deductions)


def apply_appraisal(
    result: ScoreResult, appraisal: AppraisalFile, *, file: str, sha256: str, result_file: str | None = None
) -> ScoreResult:
    """The final result: leaves with self/appraised/final points, areas and totals from the final points.

    `file` names the appraisal file in error messages; the result records its base name and `sha256`.
    """
    check_appraisal(appraisal, result, file, result_file)
    by_code: dict[str, list[AppraisalRecord]] = {}
    for record in appraisal.appraisals:
        by_code.setdefault(record.criterion, []).append(record)
    leaves = [_appraised_leaf(leaf, by_code.get(leaf.code, [])) for leaf in result.criteria]
    summary = ResultAppraisalOut(
        file=Path(file).name,
        sha256=sha256,
        council=appraisal.council,
        date=appraisal.date,
        appraised=[leaf.code for leaf in result.criteria if leaf.code in by_code],
        self_totals=result.totals,
        self_areas=[AreaSelfOut(code=a.code, points=a.points, max=a.max, pct=a.pct) for a in result.areas],
    )
    final = result.model_copy(update={**recompute(result, leaves), "appraisal": summary})
    return ScoreResult.model_validate_json(final.to_json())  # validated as any reader will read it


def appraise_files(result: ScoreResult, path: Path, *, result_file: Path | None = None) -> ScoreResult:
    appraisal = load_appraisal(path)
    digest = hashlib.sha256(read_bytes_limited(path)).hexdigest()
    return apply_appraisal(
        result, appraisal, file=str(path), sha256=digest, result_file=str(result_file) if result_file else None
    )
