"""Section I's extra sentences for catalogues of a province's own index: the unit's profile, the statistics part,
the deductions and the bonus (nothing for a catalogue without them, so such a report is unchanged)."""

from __future__ import annotations

from par_score.numbers import vn, vn_percent
from par_score.scoring.result import ScoreResult


def _target(code: str) -> str:
    if code == "total":
        return "tổng điểm"
    return f"lĩnh vực {code}" if "." not in code else f"tiêu chí {code}"


def extra_paragraphs(result: ScoreResult) -> list[str]:
    t = result.totals
    lines: list[str] = []
    if result.unit.profile:
        lines.append(
            f"Loại đơn vị: {result.unit.profile_name or result.unit.profile}; các tiêu chí không áp dụng đối với loại "
            "đơn vị này không tính vào "
            f"điểm tối đa (điểm tối đa áp dụng: {vn(t.index_max) if t.index_max is not None else '…'} điểm)."
        )
    if t.statistics is not None and t.statistics.max:
        if t.statistics.points is None:
            lines.append(
                f"Phần số liệu thống kê ({vn(t.statistics.max)} điểm): chờ cơ quan cung cấp số liệu "
                f"(tiêu chí {', '.join(t.statistics.pending)})."
            )
        else:
            lines.append(f"Phần số liệu thống kê: {vn(t.statistics.points)}/{vn(t.statistics.max)} điểm.")
    taken = [item for item in result.deductions or [] if item.effective]
    if taken:
        parts = "; ".join(
            f"{item.code} ({item.name}) {vn(item.effective)} điểm vào {_target(item.applies_to)}" for item in taken
        )
        lines.append(f"Điểm trừ: {vn(t.deducted)} điểm — {parts}.")
    bonus = result.bonus
    if bonus is not None and bonus.applied:
        claimed = "; ".join(f"{item.code} ({item.name}) {vn(item.points)} điểm" for item in bonus.items if item.points)
        capped = f", tính tối đa {vn(bonus.cap)} điểm" if bonus.points and bonus.points > bonus.cap else ""
        how = "cộng vào Chỉ số" if bonus.added_to == "index" else "cộng vào điểm đạt"
        line = f"{bonus.name}: {vn(bonus.applied)} điểm ({claimed}{capped}; {how})"
        if t.index_pct_without_bonus is not None:
            line += f"; Chỉ số chưa gồm điểm thưởng: {vn_percent(t.index_pct_without_bonus)}"
        lines.append(line + ".")
        if t.index_pct is not None and t.index_pct > 100:
            lines.append(f"Chỉ số cải cách hành chính {vn_percent(t.index_pct)}, vượt 100 % do điểm thưởng.")
    return lines
