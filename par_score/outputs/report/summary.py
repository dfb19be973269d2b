"""Section I of the letter: total points, the areas table and the count of criteria per status."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from par_score.numbers import vn, vn_percent
from par_score.outputs.report.formatting import SURVEY_BY_BNV, upper_first
from par_score.scoring.result import ScoreResult
from par_score.scoring.rollup import pct


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    max: str
    points: str
    pct: str
    pct_value: Decimal | None
    survey: str
    self_points: str = ""  # appraised reports: the self-assessed points beside `points` (after thẩm định)


@dataclass(frozen=True)
class TotalsText:
    """Section I.1's figures: self-assessed points and %, excluded points, the survey sentence, the index."""

    points: str
    pct: str
    excluded: str
    survey: str
    index: str


def survey_text(points: Decimal | None, maximum: Decimal, estimated: bool) -> str:
    """The areas table's survey cell; its header already says the survey part is appraised by Bộ Nội vụ."""
    if not maximum:
        return "—"
    if points is None:
        return vn(maximum)
    label = "ước tính" if estimated else "điều tra"
    return f"{vn(points)}/{vn(maximum)} ({label})"


def area_rows(result: ScoreResult) -> list[AreaRow]:
    rows = []
    for area in result.areas:
        if area.declared_max == 0:
            continue
        estimated = any(leaf.estimated for leaf in result.criteria if leaf.area == area.code)
        share = pct(area.self_points, area.self_max)
        rows.append(
            AreaRow(
                code=area.code,
                name=area.name,
                max=vn(area.self_max),
                points=vn(area.self_points),
                pct=vn_percent(share),
                pct_value=share,
                survey=survey_text(area.survey_points, area.survey_max, estimated),
            )
        )
    return rows


def total_row(result: ScoreResult) -> AreaRow:
    t = result.totals
    return AreaRow(
        code="",
        name="Tổng cộng",
        max=vn(t.self_.max),
        points=vn(t.self_.points),
        pct=vn_percent(t.self_pct),
        pct_value=t.self_pct,
        survey=survey_text(t.survey.points, t.survey.max, t.survey.estimated),
    )


def beside_self(rows: list[AreaRow], own: list[AreaRow]) -> list[AreaRow]:
    """The rows of an appraised result, each with the self-assessed points of the same row of `own`."""
    return [replace(row, self_points=mine.points) for row, mine in zip(rows, own, strict=True)]


def survey_label(result: ScoreResult) -> str:
    """Where the survey total comes from; after thẩm định, official values may stand beside preview estimates."""
    if not result.totals.survey.estimated:
        return "theo số liệu điều tra"
    if any(leaf.source == "survey" and leaf.points is not None and not leaf.estimated for leaf in result.criteria):
        return "một phần ước tính từ số liệu xem trước"
    return "ước tính từ số liệu xem trước"


def survey_total_sentence(result: ScoreResult) -> str:
    t = result.totals
    if t.survey.points is None:
        return f"Phần điều tra xã hội học ({vn(t.survey.max)} điểm) {SURVEY_BY_BNV}"
    label = survey_label(result)
    return f"Phần điều tra xã hội học: {vn(t.survey.points)}/{vn(t.survey.max)} điểm ({label})"


def totals_text(result: ScoreResult) -> TotalsText:
    t = result.totals
    return TotalsText(
        points=f"{vn(t.self_.points)}/{vn(t.self_.max)} điểm",
        pct=vn_percent(t.self_pct),
        excluded=vn(t.self_.declared_max - t.self_.max) if t.self_.declared_max > t.self_.max else "",
        survey=survey_total_sentence(result) if t.survey.max else "",
        index=f"{vn(t.index_points)}/{vn(t.index_max)} điểm ({vn_percent(t.index_pct)})"
        if t.index_points is not None
        else "",
    )


def status_counts(result: ScoreResult, capitalise: bool = True) -> list[tuple[str, int]]:
    return [(upper_first(label) if capitalise else label, n) for label, n in result.status_counts()]
