"""Plain-text renderings for the terminal: the per-area table, one criterion's justification, the catalogue tree."""

from __future__ import annotations

from par_score.catalogue import CatalogueIndex
from par_score.catalogue.model import (
    SCALE_LABELS,
    DocumentInput,
    IndicatorInput,
)
from par_score.numbers import ZERO, vn, vn_percent
from par_score.outputs.terminal.columns import fit, right, width
from par_score.scoring.result import LeafOut, ScoreResult
from par_score.vocabulary import UNIT_LEVEL_NAMES, NotApplicablePolicy, Source, Status


def _part(points, maximum) -> str:
    return f"{vn(points)} / {vn(maximum)}"


def heading(result: ScoreResult) -> list[str]:
    lines = [f"Kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm {result.year} — {result.unit.name}"]
    cat = result.catalogue
    note = " (danh mục tham chiếu, không phải Phụ lục chính thức của Bộ Nội vụ)" if cat.kind == "reference" else ""
    lines.append(f"Danh mục: {cat.id}, phiên bản {cat.version}{note}")
    if result.scope_agency:
        lines.append(f"Xem trước cho cơ quan: {result.scope_agency} — chỉ các tiêu chí do cơ quan chủ trì")
    return lines


def score_table(result: ScoreResult) -> str:
    name_w = 52
    lines = heading(result) + [""]
    header = f"{'Lĩnh vực':<{name_w + 4}}{right('Tự đánh giá', 14)}{right('Điều tra XHH', 16)}{right('Tỷ lệ', 10)}"
    lines += [header, "─" * width(header)]
    for area in result.areas:
        if area.declared_max == 0:  # every leaf outside an agency preview: shown as such, never as 0
            if result.scope_agency:
                lines.append(
                    f"{area.code:<4}{fit(area.name, name_w)}{right(OUT_OF_SCOPE, 14)}{right('—', 16)}{right('—', 10)}"
                )
            continue
        survey = "—"
        if area.survey_max:
            survey = (
                _part(area.survey_points, area.survey_max)
                if area.survey_points is not None
                else f"chờ BNV / {vn(area.survey_max)}"
            )
        lines.append(
            f"{area.code:<4}{fit(area.name, name_w)}{right(_part(area.self_points, area.self_max), 14)}"
            f"{right(survey, 16)}{right(vn_percent(area.pct), 10)}"
        )
    lines.append("─" * width(header))
    t = result.totals
    survey_total = "—"
    if t.survey.max:
        survey_total = (
            _part(t.survey.points, t.survey.max) if t.survey.points is not None else f"chờ BNV / {vn(t.survey.max)}"
        )
    lines.append(
        f"{'':<4}{fit('Tổng', name_w)}{right(_part(t.self_.points, t.self_.max), 14)}{right(survey_total, 16)}"
    )
    lines.append("")
    excluded = t.self_.declared_max - t.self_.max
    lines.append(
        f"Điểm tự đánh giá: {vn(t.self_.points)}/{vn(t.self_.max)} điểm ({vn_percent(t.self_pct)})"
        + (f"; {vn(excluded)} điểm không phát sinh không tính vào điểm tối đa" if excluded else "")
        + "."
    )
    if t.index_pct is not None:
        subject = f"Điểm phần của {result.scope_agency}" if result.scope_agency else "Chỉ số CCHC"
        label = " ước tính (có số liệu điều tra xem trước)" if t.index_estimated else ""
        lines.append(f"{subject}{label}: {vn(t.index_points)}/{vn(t.index_max)} điểm = {vn_percent(t.index_pct)}.")
    elif t.survey.max:
        lines.append(f"Phần điều tra xã hội học ({vn(t.survey.max)} điểm): chờ Bộ Nội vụ đánh giá.")
        survey = [
            leaf for leaf in result.criteria if leaf.source == Source.SURVEY and leaf.status != Status.OUT_OF_SCOPE
        ]
        given = [leaf for leaf in survey if leaf.points is not None]
        if given:
            lines.append(
                f"Đã có số liệu điều tra xem trước cho {len(given)}/{len(survey)} mục; cần đủ {len(survey)} mục "
                f"để ước tính Chỉ số CCHC (còn thiếu: {', '.join(t.survey.pending)})."
            )
    lines.append("Tình trạng tiêu chí: " + "; ".join(f"{label}: {n}" for label, n in result.status_counts()) + ".")
    if result.scope_agency:
        lines += [""] + agency_preview(result)
    return "\n".join(lines)


OUT_OF_SCOPE = "ngoài phạm vi"


def _leaf_points(leaf: LeafOut) -> str:
    if leaf.points is not None:
        return _part(leaf.points, leaf.max)
    if leaf.status == Status.NOT_APPLICABLE_EXCLUDED:
        return f"không tính / {vn(leaf.max)}"
    return f"chờ BNV / {vn(leaf.max)}"


def agency_preview(result: ScoreResult) -> list[str]:
    """An agency's own part: its points over its maximum, its criteria, and what is still missing."""
    t = result.totals
    own = [leaf for leaf in result.criteria if leaf.status != Status.OUT_OF_SCOPE]
    others = len(result.criteria) - len(own)
    survey = ""
    if t.survey.max:
        survey = (
            f"; điều tra xã hội học {_part(t.survey.points, t.survey.max)}"
            if t.survey.points is not None
            else f"; điều tra xã hội học: chờ Bộ Nội vụ ({vn(t.survey.max)} điểm)"
        )
    lines = [
        f"Phần của {result.scope_agency}: {vn(t.self_.points)}/{vn(t.self_.max)} điểm tự đánh giá "
        f"({vn_percent(t.self_pct)}){survey}.",
        f"Các tiêu chí do cơ quan chủ trì ({len(own)}):",
    ]
    name_w = 60
    for leaf in own:
        lines.append(f"  {leaf.code:<8}{fit(leaf.name, name_w)}{right(_leaf_points(leaf), 16)}  {leaf.status_label}")
    missing = [leaf for leaf in own if leaf.status == Status.MISSING_EVIDENCE]
    if missing:
        lost = sum((leaf.max for leaf in missing), ZERO)
        lines.append(f"Còn thiếu tài liệu kiểm chứng ({len(missing)} tiêu chí, {vn(lost)} điểm):")
        for leaf in missing:
            need = f": cần {leaf.required_evidence}" if leaf.required_evidence else ""
            lines.append(f"  - {leaf.code} {leaf.name}{need}")
    else:
        lines.append("Không còn tiêu chí nào thiếu tài liệu kiểm chứng.")
    if others:
        lines.append(f"Các tiêu chí khác ({others}): {OUT_OF_SCOPE} — không tính vào điểm của cơ quan.")
    return lines


def explain_leaf(result: ScoreResult, leaf: LeafOut) -> str:
    area = next(a for a in result.areas if a.code == leaf.area)
    tc = next((c for c in area.criteria if c.code == leaf.tc), None)
    lines = [f"Tiêu chí {leaf.code} — {leaf.name}"]
    path = f"Lĩnh vực {area.code}. {area.name}"
    if tc and tc.code != leaf.code:
        path += f" › {tc.code}. {tc.name}"
    lines.append(path)
    lines.append(
        f"Cơ quan chủ trì: {leaf.agency} · Nguồn điểm: "
        f"{'tự đánh giá' if leaf.source == Source.SELF else 'điều tra xã hội học'} · Thang điểm: "
        f"{SCALE_LABELS.get(leaf.scale, leaf.scale)}"
    )
    points = "—" if leaf.points is None else vn(leaf.points)
    lines.append(f"Điểm: {points} / {vn(leaf.max)} — {leaf.status_label}")
    lines.append(f"Luật đã áp dụng: {leaf.rule.id} — {leaf.rule.label}")
    lines.append(f"  Điều kiện của luật: {leaf.rule.conditions}")
    if leaf.inputs:
        lines.append("Giá trị đã đọc:")
        for value in leaf.inputs:
            source = f" (nguồn: {value.source})" if value.source else ""
            lines.append(f"  - {value.label}: {value.display}{source}")
    if leaf.evidence:
        lines.append("Tài liệu kiểm chứng:")
        for doc in leaf.evidence:
            where = f" — {doc.locator}" if doc.locator else ""
            lines.append(f"  - {doc.number} ngày {doc.issue_date:%d/%m/%Y} của {doc.issuer}: {doc.title}{where}")
    elif leaf.source == Source.SELF and leaf.status not in (Status.OUT_OF_SCOPE,):
        lines.append("Tài liệu kiểm chứng: không có")
    if leaf.not_applicable_reason:
        lines.append(f"Lý do không phát sinh: {leaf.not_applicable_reason}")
    if leaf.failed_conditions:
        lines.append("Vì sao chưa đạt điểm tối đa (điều kiện không thỏa mãn):")
        for failed in leaf.failed_conditions:
            lines.append(f"  - {failed.band}: cần {failed.condition}; thực tế: {failed.actual_display}")
    if leaf.status == Status.MISSING_EVIDENCE and leaf.required_evidence:
        lines.append(f"Tài liệu cần có: {leaf.required_evidence}")
    if leaf.status == Status.MISSING_EVIDENCE or leaf.explanation:
        lines.append(f"Giải trình: {leaf.explanation or 'chưa có giải trình'}")
    return "\n".join(lines)


def catalogue_tree(index: CatalogueIndex) -> str:
    cat = index.catalogue
    kind = "danh mục tham chiếu" if cat.kind == "reference" else "danh mục chính thức"
    t = cat.declared_totals
    lines = [
        f"{cat.title}",
        f"Mã: {cat.id} · phiên bản {cat.version} · {kind} · năm đánh giá {cat.evaluation_year} · "
        f"{UNIT_LEVEL_NAMES[cat.unit_level]}",
        f"Tổng điểm: {vn(t.all)} (tự đánh giá {vn(t.self_)}, điều tra {vn(t.survey)}) · {len(index.leaves)} tiêu chí "
        "chấm điểm",
    ]
    if cat.notice:
        lines.append(f"Lưu ý: {cat.notice}")
    lines.append("Căn cứ: " + "; ".join(cat.legal_basis))
    lines.append("")
    by_code = {e.code: e for e in index.leaves}
    for area in cat.areas:
        a = area.declared_totals
        lines.append(
            f"{area.code}. {area.name} — {vn(a.all)} điểm (tự đánh giá {vn(a.self_)}, điều tra {vn(a.survey)}) · chủ "
            f"trì: {area.agency}"
        )
        for criterion in area.criteria:
            items = criterion.items or []
            if not items:
                leaf = by_code[criterion.code].leaf
                lines.append(f"   {criterion.code} {criterion.name} — {vn(leaf.max)}{_leaf_note(leaf)}")
                continue
            total = sum(i.max for i in items)
            lines.append(f"   {criterion.code} {criterion.name} — {vn(total)}")
            for leaf in items:
                lines.append(f"      {leaf.code} {leaf.name} — {vn(leaf.max)}{_leaf_note(leaf)}")
    return "\n".join(lines)


def _leaf_note(leaf) -> str:
    notes = [SCALE_LABELS.get(leaf.scale.type, leaf.scale.type)]
    if leaf.source == Source.SURVEY:
        notes = ["điều tra xã hội học"]
    given = leaf.input
    if isinstance(given, DocumentInput):
        notes.append(f"văn bản chủ đề: {given.document}")
    elif isinstance(given, IndicatorInput):
        notes.append(f"chỉ số: {given.indicator}")
    else:
        notes.append(f"mục điều tra: {given.survey}")
    if leaf.not_applicable == NotApplicablePolicy.FULL:
        notes.append("không phát sinh: đạt tối đa")
    elif leaf.not_applicable == NotApplicablePolicy.EXCLUDE:
        notes.append("không phát sinh: loại khỏi điểm tối đa")
    return " [" + "; ".join(notes) + "]"
