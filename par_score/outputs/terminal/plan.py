"""The improvement plan for the terminal: agency by agency, each criterion with the changes that raise it (points
gained, deadline), the giải trình still needed, what can no longer be done, then the survey items."""

from __future__ import annotations

from par_score.numbers import vn
from par_score.outputs.terminal.columns import right
from par_score.planning.model import AgencyPlanOut, LeafPlanOut, Plan
from par_score.planning.view import summary_lines
from par_score.planning.wording import explanation_text

TARGET_MARK = "  ★ trong phương án đạt mục tiêu"


def _leaf_heading(leaf: LeafPlanOut) -> str:
    co = f" · phối hợp: {'; '.join(leaf.co_agencies)}" if leaf.co_agencies else ""
    return f"  {leaf.code}  {leaf.name} — {vn(leaf.points)}/{vn(leaf.max)} điểm, {leaf.status_label}{co}"


def _agency_heading(agency: AgencyPlanOut) -> str:
    parts = []
    raised = sum(1 for leaf in agency.leaves if leaf.options)
    if raised:
        parts.append(f"{raised} tiêu chí có thể nâng điểm (tối đa +{vn(agency.best_gain)} điểm)")
    if agency.explanations:
        parts.append(f"{agency.explanations} giải trình còn thiếu")
    return f"━━ {agency.agency}" + (f" — {'; '.join(parts)}" if parts else "")


def agency_lines(plan: Plan, agency: AgencyPlanOut) -> list[str]:
    lines = [_agency_heading(agency)]
    gain_width = 12
    for leaf in agency.leaves:
        if not leaf.options:
            continue
        lines.append(_leaf_heading(leaf))
        for option in leaf.options:
            mark = TARGET_MARK if option.in_target else ""
            lines.append(f"    {right(f'+{vn(option.gain)} điểm', gain_width)}  {option.text}{mark}")
            for alternative in option.alternatives:
                text = "; ".join(change.text for change in alternative)
                lines.append(f"    {'':>{gain_width}}  hoặc: {text}")
            for effect in option.side_effects:
                lines.append(f"    {'':>{gain_width}}  (cũng tăng tiêu chí {effect.leaf}: +{vn(effect.gain)} điểm)")
    explain = [leaf for leaf in agency.leaves if leaf.explanation_needed]
    if explain:
        lines.append(f"  Thiếu tài liệu kiểm chứng ({explanation_text(plan.evidence_until)}):")
        for leaf in explain:
            need = f" — tài liệu cần có: {leaf.required_evidence}" if leaf.required_evidence else ""
            lines.append(f"    {leaf.code}  {leaf.name}{need}")
    missed = [(leaf, m) for leaf in agency.leaves for m in leaf.missed]
    if missed:
        lines.append(f"  Đã lỡ, không còn khắc phục được trong năm {plan.year} (rút kinh nghiệm cho năm sau):")
        for leaf, m in missed:
            lines.append(f"    {leaf.code}  lẽ ra: {m.text} (+{vn(m.gain)} điểm) — {m.reason}")
    notes = [leaf for leaf in agency.leaves if leaf.note and not leaf.options and not leaf.missed]
    for leaf in notes:
        lines.append(f"  {leaf.code}  {leaf.name}: {leaf.note}")
    return lines


def plan_text(plan: Plan) -> str:
    cat = plan.catalogue
    note = " (danh mục tham chiếu, không phải Phụ lục chính thức của Bộ Nội vụ)" if cat.kind == "reference" else ""
    lines = [
        f"Kế hoạch khắc phục, nâng điểm Chỉ số CCHC năm {plan.year} — {plan.unit.name}",
        f"Danh mục: {cat.id}, phiên bản {cat.version}{note}",
        *summary_lines(plan),
    ]
    if not plan.agencies:
        lines += ["", "Không có tiêu chí nào dưới điểm tối đa cần khắc phục."]
    for agency in plan.agencies:
        lines += ["", *agency_lines(plan, agency)]
    if plan.survey:
        lines += ["", "Điều tra xã hội học — do Bộ Nội vụ đánh giá, tỉnh không tự chấm (chỉ để theo dõi):"]
        for item in plan.survey:
            known = "; ".join(item.last_known) if item.last_known else f"chưa có ({item.status_label})"
            lines.append(f"  {item.code}  {item.name} — trọng số {vn(item.weight)} điểm; số liệu gần nhất: {known}")
    return "\n".join(lines)
