"""Terminal texts of the audit commands: rerun report, result diff, appraisal summary, a leaf's appraisal."""

from __future__ import annotations

from decimal import Decimal

from par_score.audit.diff import REASONS, CriterionDiff, NodeDiff, ResultDiff
from par_score.audit.rerun import FileCheck, RerunReport
from par_score.numbers import vn, vn_percent
from par_score.outputs.terminal.columns import fit, right, width
from par_score.scoring.result import LeafOut, ScoreResult

ROLE_LABELS = {
    "catalogue": "danh mục",
    "evidence": "tệp bằng chứng",
    "attachment": "tệp đính kèm",
    "appraisal": "tệp thẩm định",
    "output": "tệp kết quả",
}


def signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    if value > 0:
        return f"+{vn(value)}"
    return vn(value)


def _short(digest: str | None) -> str:
    return f"{digest[:12]}…" if digest else "—"


def _check_line(check: FileCheck) -> str:
    role = ROLE_LABELS[check.role]
    if check.state == "changed":
        return (
            f"  - {role} '{check.path}': ĐÃ THAY ĐỔI "
            f"(sha256 ghi nhận {_short(check.recorded)}, hiện tại {_short(check.actual)})"
        )
    if check.state == "missing":
        return f"  - {role} '{check.path}': KHÔNG CÒN (sha256 ghi nhận {_short(check.recorded)})"
    return f"  - {role} '{check.path}': TỆP MỚI, không có trong lần chạy gốc (sha256 {_short(check.actual)})"


def rerun_checks(report: RerunReport) -> str:
    m = report.manifest
    lines = [
        f"Chạy lại lần chấm {m.run_id} (lúc {m.created_at}, lệnh '{m.command}')",
        f"Bộ bằng chứng: {m.bundle.path}",
        f"Danh mục: {m.catalogue.id}, phiên bản {m.catalogue.version} — {m.catalogue.path}",
    ]
    inputs = [c for c in report.checks if c.role != "output"]
    changed = report.input_changes
    if changed:
        lines.append(f"Đầu vào đã thay đổi ({len(changed)} trong {len(inputs)} tệp):")
        lines += [_check_line(c) for c in changed]
    else:
        lines.append(f"Đầu vào: cả {len(inputs)} tệp (danh mục, bằng chứng, đính kèm) khớp mã băm sha256 đã ghi.")
    if report.output_changes:
        lines.append("Tệp kết quả đã bị sửa hoặc xóa sau lần chạy gốc:")
        lines += [_check_line(c) for c in report.output_changes]
    for name, old, new in report.version_changes:
        lines.append(f"Lưu ý: phiên bản {name} khác lần chạy gốc ({old} → {new}).")
    return "\n".join(lines)


def rerun_outcome(report: RerunReport) -> str:
    lines = []
    target = report.compared_with or "kết quả đã ghi"
    if report.identical:
        lines.append(f"Kết quả chấm lại: giống hệt {target}.")
    elif report.changes:
        lines.append(f"Kết quả chấm lại: KHÁC {target} ở {len(report.changes)} tiêu chí:")
        lines.append(criteria_table(report.changes, "Đã ghi", "Chấm lại"))
    else:
        lines.append(
            f"Kết quả chấm lại: KHÁC {target} (không tiêu chí nào thay đổi; khác ở phần tổng hợp hoặc định dạng)."
        )
    if report.exit_code:
        lines.append("Kết luận: đầu vào hoặc kết quả đã thay đổi so với lần chạy gốc.")
    else:
        lines.append("Kết luận: tái lập được — đầu vào và kết quả giống hệt lần chạy gốc.")
    return "\n".join(lines)


# ---- diff --------------------------------------------------------------------------------------------------------
def criteria_table(rows: list[CriterionDiff], a_label: str = "A", b_label: str = "B") -> str:
    header = f"{'Mã':<10}{right(a_label, 10)}{right(b_label, 10)}{right('Thay đổi', 10)}  Tình trạng"
    lines = [header, "─" * max(width(header), 72)]
    for row in rows:
        status = row.b_status_label or row.a_status_label or ""
        if row.a_status_label and row.b_status_label and row.a_status_label != row.b_status_label:
            status = f"{row.a_status_label} → {row.b_status_label}"
        lines.append(
            f"{row.code:<10}{right(vn(row.a_points), 10)}{right(vn(row.b_points), 10)}{right(signed(row.change), 10)}  "
            f"{status}"
        )
        lines.append(f"{'':<10}{row.name}")
        for reason in row.reasons:
            lines.append(
                f"{'':<10}· {reason_label(reason.code)}: {reason.text}"
                if reason.text != reason_label(reason.code)
                else f"{'':<10}· {reason.text}"
            )
    return "\n".join(lines)


def reason_label(code: str) -> str:
    return REASONS[code]


def _node_row(node: NodeDiff, name_w: int) -> str:
    a = "—" if node.a_points is None else f"{vn(node.a_points)}/{vn(node.a_max)}"
    b = "—" if node.b_points is None else f"{vn(node.b_points)}/{vn(node.b_max)}"
    return f"{node.code:<4}{fit(node.name, name_w)}{right(a, 14)}{right(b, 14)}{right(signed(node.change), 10)}"


def diff_text(diff: ResultDiff) -> str:
    a, b = diff.a, diff.b
    lines = ["So sánh hai kết quả chấm điểm Chỉ số CCHC"]
    for tag, side in (("A", a), ("B", b)):
        kind = "kết quả sau thẩm định" if side.appraised else "kết quả tự đánh giá"
        lines.append(
            f"  {tag}: {side.file} — {side.unit_name}, năm {side.year}, {kind}; danh mục {side.catalogue_id} phiên bản "
            f"{side.catalogue_version}"
        )
    if diff.catalogue_changed:
        lines.append(
            f"  Danh mục khác nhau: {a.catalogue_id} {a.catalogue_version} (sha256 {_short(a.catalogue_sha256)}) → "
            f"{b.catalogue_id} {b.catalogue_version} (sha256 {_short(b.catalogue_sha256)})"
        )
    lines.append("")
    if diff.criteria:
        lines.append(f"Tiêu chí thay đổi: {len(diff.criteria)}")
        lines.append(criteria_table(diff.criteria))
    else:
        lines.append("Không có tiêu chí nào thay đổi.")
    lines.append("")
    name_w = 44
    header = f"{'Lĩnh vực':<{name_w + 4}}{right('A', 14)}{right('B', 14)}{right('Thay đổi', 10)}"
    lines += [header, "─" * width(header)]
    lines += [_node_row(n, name_w) for n in diff.areas]
    lines.append("─" * width(header))
    lines += [_node_row(n.model_copy(update={"code": ""}), name_w) for n in diff.totals]
    index = next(n for n in diff.totals if n.code == "index")
    if index.a_pct is not None or index.b_pct is not None:
        lines.append(f"Chỉ số CCHC (%): {vn_percent(index.a_pct)} → {vn_percent(index.b_pct)}")
    return "\n".join(lines)


# ---- appraisal ---------------------------------------------------------------------------------------------------
def appraisal_lines(leaf: LeafOut) -> list[str]:
    """What explain adds for a leaf of an appraised result."""
    side = leaf.appraisal
    if side is None:
        return []
    self_points = vn(side.self_points)
    if side.appraised_points is None:
        return [f"Thẩm định: chưa thẩm định; điểm cuối cùng = điểm tự đánh giá ({self_points})"]
    lines = [
        f"Thẩm định: điểm tự đánh giá {self_points} → điểm thẩm định {vn(side.appraised_points)} (vòng {side.round}) = "
        f"điểm cuối cùng {vn(side.final_points)}"
    ]
    for record in side.records:
        comment = f": {record.comment}" if record.comment else ""
        lines.append(f"  - Vòng {record.round}, {record.appraiser}: {vn(record.points)} điểm{comment}")
    return lines


def appraisal_summary(result: ScoreResult) -> str:
    info = result.appraisal
    assert info is not None
    lines = [f"Thẩm định theo tệp {info.file}" + (f" — {info.council}" if info.council else "")]
    header = (
        f"{'Mã':<10}{right('Tự chấm', 10)}{right('Thẩm định', 11)}{right('Cuối cùng', 11)}{right('Vòng', 6)}"
        "  Người thẩm định"
    )
    lines += [header, "─" * width(header)]
    for leaf in result.criteria:
        side = leaf.appraisal
        if side is None or side.appraised_points is None:
            continue
        lines.append(
            f"{leaf.code:<10}{right(vn(side.self_points), 10)}{right(vn(side.appraised_points), 11)}"
            f"{right(vn(side.final_points), 11)}{right(str(side.round), 6)}  {side.appraiser}"
        )
    before, after = info.self_totals, result.totals
    lines.append("")
    lines.append(
        f"Điểm tự đánh giá (phần tự chấm): {vn(before.self_.points)}/{vn(before.self_.max)} → sau thẩm định "
        f"{vn(after.self_.points)}/{vn(after.self_.max)}"
    )
    if after.index_pct is not None:
        lines.append(
            f"Chỉ số CCHC sau thẩm định: {vn(after.index_points)}/{vn(after.index_max)} điểm = "
            f"{vn_percent(after.index_pct)}"
        )
    else:
        pending = ", ".join(after.survey.pending)
        lines.append(f"Chỉ số CCHC: chưa tính được — còn thiếu điểm điều tra xã hội học: {pending}")
    return "\n".join(lines)
