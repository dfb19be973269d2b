"""Plain-text renderings for the terminal: the per-area table, one criterion's justification, the catalogue tree."""

from __future__ import annotations

from par_score.catalogue import CatalogueIndex
from par_score.catalogue.model import (
    SCALE_LABELS,
    DocumentInput,
    IndicatorInput,
    StatisticInput,
)
from par_score.numbers import ZERO, vn, vn_percent
from par_score.outputs.terminal.columns import fit, right, width
from par_score.outputs.terminal.safe import terminal_safe
from par_score.scales import kind_of, same_agency
from par_score.scoring.result import LeafOut, ScoreResult
from par_score.vocabulary import UNIT_LEVEL_NAMES, Combine, NotApplicablePolicy, Source, Status


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


def _awaited(result: ScoreResult) -> str:
    """Who the survey part is awaited from, in a cell: Bộ Nội vụ, unless the catalogue names its suppliers."""
    named = any(leaf.supplied_by for leaf in result.criteria if leaf.source == Source.SURVEY)
    return "chờ số liệu" if named else "chờ BNV"


def _survey_cell(points, maximum, awaited: str) -> str:
    if not maximum:
        return "—"
    return _part(points, maximum) if points is not None else f"{awaited} / {vn(maximum)}"


@terminal_safe
def score_table(result: ScoreResult) -> str:
    name_w = 52
    t = result.totals
    statistics = t.statistics is not None
    awaited = _awaited(result)
    lines = heading(result) + [""]
    header = f"{'Lĩnh vực':<{name_w + 4}}{right('Tự đánh giá', 14)}{right('Điều tra XHH', 16)}"
    if statistics:
        header += right("Thống kê", 16)
    header += right("Tỷ lệ", 10)
    lines += [header, "─" * width(header)]
    for area in result.areas:
        if area.declared_max == 0:  # every leaf outside an agency preview (or the unit's profile): never as 0
            if result.scope_agency:
                lines.append(
                    f"{area.code:<4}{fit(area.name, name_w)}{right(OUT_OF_SCOPE, 14)}{right('—', 16)}"
                    + (right("—", 16) if statistics else "")
                    + right("—", 10)
                )
            continue
        line = (
            f"{area.code:<4}{fit(area.name, name_w)}{right(_part(area.self_points, area.self_max), 14)}"
            f"{right(_survey_cell(area.survey_points, area.survey_max, awaited), 16)}"
        )
        if statistics:
            line += right(_survey_cell(area.statistics_points, area.statistics_max, "chờ số liệu"), 16)
        lines.append(line + right(vn_percent(area.pct), 10) + (" *" if area.deducted else ""))
    lines.append("─" * width(header))
    total = (
        f"{'':<4}{fit('Tổng', name_w)}{right(_part(t.self_.points, t.self_.max), 14)}"
        f"{right(_survey_cell(t.survey.points, t.survey.max, awaited), 16)}"
    )
    if statistics:
        total += right(_survey_cell(t.statistics.points, t.statistics.max, "chờ số liệu"), 16)
    lines.append(total)
    lines.append("")
    excluded = t.self_.declared_max - t.self_.max
    lines.append(
        f"Điểm tự đánh giá: {vn(t.self_.points)}/{vn(t.self_.max)} điểm ({vn_percent(t.self_pct)})"
        + (f"; {vn(excluded)} điểm không phát sinh không tính vào điểm tối đa" if excluded else "")
        + "."
    )
    if result.unit.profile:
        kind = result.unit.profile_name or result.unit.profile
        lines.append(f"Loại đơn vị: {kind} — các tiêu chí không áp dụng không tính vào điểm tối đa.")
    lines += adjustment_lines(result)
    if t.index_pct is not None:
        subject = f"Điểm phần của {result.scope_agency}" if result.scope_agency else "Chỉ số CCHC"
        label = " ước tính (có số liệu điều tra xem trước)" if t.index_estimated else ""
        if t.bonus is not None:
            without = vn_percent(t.index_pct_without_bonus)
            lines.append(
                f"{subject}{label}: {vn(t.index_points)}/{vn(t.index_max)} điểm = {without}"
                f"; có điểm thưởng: {vn_percent(t.index_pct)}"
                + (" (vượt 100 % do điểm thưởng)" if t.index_pct > 100 else "")
                + "."
            )
        else:
            lines.append(f"{subject}{label}: {vn(t.index_points)}/{vn(t.index_max)} điểm = {vn_percent(t.index_pct)}.")
    else:
        if t.survey.max and t.survey.points is None:
            who = "chờ Bộ Nội vụ đánh giá" if awaited == "chờ BNV" else "chờ số liệu điều tra"
            lines.append(f"Phần điều tra xã hội học ({vn(t.survey.max)} điểm): {who}.")
            survey = [
                leaf
                for leaf in result.criteria
                if leaf.source == Source.SURVEY and leaf.status not in (Status.OUT_OF_SCOPE, Status.NOT_FOR_PROFILE)
            ]
            given = [leaf for leaf in survey if leaf.points is not None]
            if given:
                lines.append(
                    f"Đã có số liệu điều tra xem trước cho {len(given)}/{len(survey)} mục; cần đủ {len(survey)} mục "
                    f"để ước tính Chỉ số CCHC (còn thiếu: {', '.join(t.survey.pending)})."
                )
        if statistics and t.statistics.points is None:
            lines.append(
                f"Phần số liệu thống kê ({vn(t.statistics.max)} điểm): chờ số liệu "
                f"(còn thiếu: {', '.join(t.statistics.pending)}); chưa xác định được Chỉ số CCHC."
            )
    lines.append("Tình trạng tiêu chí: " + "; ".join(f"{label}: {n}" for label, n in result.status_counts()) + ".")
    lines += warning_lines(result)
    if result.scope_agency:
        lines += [""] + agency_preview(result)
    return "\n".join(lines)


def warning_lines(result: ScoreResult) -> list[str]:
    """Figures the checks let through but a person should look at again."""
    if not result.warnings:
        return []
    lines = [f"Cảnh báo ({len(result.warnings)}) — không làm thay đổi điểm, nhưng cần kiểm tra lại:"]
    for warning in result.warnings:
        where = ", ".join(p for p in (f"tệp '{warning.file}'" if warning.file else "", warning.record or "") if p) + (
            f", cột/trường '{warning.field}'" if warning.field else ""
        )
        lines.append(f"  - {where}: {warning.message}" if where else f"  - {warning.message}")
    return lines


def adjustment_lines(result: ScoreResult) -> list[str]:
    """The statistics part, deduction items and bonus, when the catalogue has them."""
    t = result.totals
    lines = []
    if t.statistics is not None and t.statistics.points is not None and t.statistics.max:
        lines.append(f"Phần số liệu thống kê: {vn(t.statistics.points)}/{vn(t.statistics.max)} điểm.")
    taken = [item for item in result.deductions or [] if item.effective]
    if taken:
        parts = "; ".join(
            f"{item.code} {vn(item.effective)}"
            + (f" (trừ vào {item.applies_to})" if item.applies_to != "total" else "")
            for item in taken
        )
        marked = " * lĩnh vực có điểm trừ." if any(area.deducted for area in result.areas) else ""
        lines.append(f"Điểm trừ: {vn(t.deducted)} điểm — {parts}.{marked}")
    bonus = result.bonus
    if bonus is not None and bonus.points:
        where = "cộng vào Chỉ số" if bonus.added_to == "index" else "cộng vào điểm đạt"
        items = "; ".join(f"{item.code} {vn(item.points)}" for item in bonus.items if item.points)
        capped = f", tính tối đa {vn(bonus.cap)}" if bonus.points > bonus.cap else ""
        lines.append(f"{bonus.name}: {vn(bonus.applied)} điểm ({items}{capped}; {where}).")
    return lines


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
    lead = [leaf for leaf in own if same_agency(leaf.agency, result.scope_agency or "")]
    shared = [leaf for leaf in own if leaf not in lead]
    lines = [
        f"Phần của {result.scope_agency}: {vn(t.self_.points)}/{vn(t.self_.max)} điểm tự đánh giá "
        f"({vn_percent(t.self_pct)}){survey}.",
    ]
    name_w = 60
    for heading_text, leaves in (("Các tiêu chí do cơ quan chủ trì", lead), ("Các tiêu chí cơ quan phối hợp", shared)):
        if not leaves:
            continue
        lines.append(f"{heading_text} ({len(leaves)}):")
        for leaf in leaves:
            role = f" (chủ trì: {leaf.agency})" if leaf in shared else ""
            lines.append(
                f"  {leaf.code:<8}{fit(leaf.name, name_w)}{right(_leaf_points(leaf), 16)}  {leaf.status_label}{role}"
            )
    steps = [leaf for leaf in own if leaf.next_band is not None]
    if steps:
        gain = sum((leaf.next_band.gain for leaf in steps), ZERO)
        lines.append(
            f"Tiêu chí chưa đạt tối đa — mức kế tiếp và điểm có thể thêm ({len(steps)} tiêu chí, {vn(gain)} điểm):"
        )
        for leaf in steps:
            step = leaf.next_band
            lines.append(
                f"  - {leaf.code}: cần {step.condition} → {vn(step.points)}/{vn(leaf.max)} điểm (thêm {vn(step.gain)})"
            )
    references = [value for leaf in own for value in leaf.inputs if value.name == "van_ban_co_quan_khac"]
    if references:
        cited = sorted({ref for value in references for ref in value.value.split("; ")})
        lines.append(
            f"Văn bản do cơ quan khác cung cấp ({len(cited)}): {', '.join(cited)} — tham chiếu, được kiểm tra khi hợp "
            "nhất các phần."
        )
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


@terminal_safe
def explain_leaf(result: ScoreResult, leaf: LeafOut) -> str:
    area = next(a for a in result.areas if a.code == leaf.area)
    tc = next((c for c in area.criteria if c.code == leaf.tc), None)
    lines = [f"Tiêu chí {leaf.code} — {leaf.name}"]
    path = f"Lĩnh vực {area.code}. {area.name}"
    if tc and tc.code != leaf.code:
        path += f" › {tc.code}. {tc.name}"
    lines.append(path)
    shared = f" · Phối hợp: {', '.join(leaf.co_agencies)}" if leaf.co_agencies else ""
    supplier = f" (do {leaf.supplied_by} cung cấp)" if leaf.supplied_by else ""
    lines.append(
        f"Cơ quan chủ trì: {leaf.agency}{shared} · Nguồn điểm: {Source(leaf.source).label}{supplier} · Thang điểm: "
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
    if leaf.contributions:
        lines.append(f"Đóng góp ({len(leaf.contributions)}):")
        for part in leaf.contributions:
            where = f" — {part.where}" if part.where else ""
            lines.append(f"  - {part.contributor or 'không ghi đơn vị'}: {part.display}{where}")
    if leaf.evidence:
        lines.append("Tài liệu kiểm chứng:")
        for doc in leaf.evidence:
            where = f" — {doc.locator}" if doc.locator else ""
            lines.append(f"  - {doc.number} ngày {doc.issue_date:%d/%m/%Y} của {doc.issuer}: {doc.title}{where}")
    elif leaf.source == Source.SELF and leaf.status not in (Status.OUT_OF_SCOPE, Status.NOT_ACHIEVED):
        lines.append("Tài liệu kiểm chứng: không có")
    if leaf.not_applicable_reason:
        lines.append(f"Lý do không phát sinh: {leaf.not_applicable_reason}")
    if leaf.failed_conditions:
        lines.append("Vì sao chưa đạt điểm tối đa (điều kiện không thỏa mãn):")
        for failed in leaf.failed_conditions:
            lines.append(f"  - {failed.band}: cần {failed.condition}; thực tế: {failed.actual_display}")
    if leaf.next_band is not None:
        step = leaf.next_band
        lines.append(
            f"Mức kế tiếp: {step.label} — cần {step.condition}; đạt mức này được {vn(step.points)} điểm "
            f"(thêm {vn(step.gain)})"
        )
    if leaf.status == Status.MISSING_EVIDENCE and leaf.required_evidence:
        lines.append(f"Tài liệu cần có: {leaf.required_evidence}")
    if leaf.status == Status.MISSING_EVIDENCE or leaf.explanation:
        lines.append(f"Giải trình: {leaf.explanation or 'chưa có giải trình'}")
    return "\n".join(lines)


def _totals_words(t) -> str:
    """A declared split in words: "tự đánh giá 62, điều tra 38" (and the statistics part when there is one)."""
    parts = [f"tự đánh giá {vn(t.self_)}"]
    if t.statistics:
        parts.append(f"thống kê {vn(t.statistics)}")
    parts.append(f"điều tra {vn(t.survey)}")
    return ", ".join(parts)


def explain_item(result: ScoreResult, item) -> str:
    """A bonus or deduction item's justification: its rule, the values read, its evidence and what it added or took."""
    bonus = item.applies_to is None
    lines = [f"{'Điểm thưởng' if bonus else 'Điểm trừ'} {item.code} — {item.name}"]
    if bonus:
        assert result.bonus is not None
        lines.append(
            f"Điểm: {vn(item.points) if item.points is not None else '—'} / {vn(item.max)} — {item.status_label}"
        )
        total = result.bonus
        lines.append(f"Tổng điểm thưởng: {vn(total.points)}, tính {vn(total.applied)} (tối đa {vn(total.cap)})")
    else:
        asked = vn(item.points) if item.points is not None else "—"
        lines.append(
            f"Trừ vào {target_words(item.applies_to)}: {asked} điểm (tối đa {vn(item.max)}) — {item.status_label}"
        )
        if item.effective is not None and item.node_before is not None:
            lines.append(
                f"Đã trừ {vn(item.effective)} điểm: {vn(item.node_before)} → {vn(item.node_after)} (không trừ quá số "
                "điểm đạt của phần bị trừ)"
            )
    lines.append(f"Luật đã áp dụng: {item.rule.id} — {item.rule.label}")
    for value in item.inputs:
        source = f" (nguồn: {value.source})" if value.source else ""
        lines.append(f"  - {value.label}: {value.display}{source}")
    for doc in item.evidence:
        lines.append(f"  - {doc.number} ngày {doc.issue_date:%d/%m/%Y} của {doc.issuer}: {doc.title}")
    if item.supplied_by:
        lines.append(f"Số liệu do {item.supplied_by} cung cấp")
    if item.required_evidence:
        lines.append(f"Tài liệu cần có: {item.required_evidence}")
    return "\n".join(lines)


@terminal_safe
def catalogue_tree(index: CatalogueIndex) -> str:
    cat = index.catalogue
    kind = "danh mục tham chiếu" if cat.kind == "reference" else "danh mục chính thức"
    t = cat.declared_totals
    lines = [
        f"{cat.title}",
        f"Mã: {cat.id} · phiên bản {cat.version} · {kind} · năm đánh giá {cat.evaluation_year} · "
        f"{UNIT_LEVEL_NAMES[cat.unit_level]}",
        f"Tổng điểm: {vn(t.all)} ({_totals_words(t)}) · {len(index.leaves)} tiêu chí chấm điểm",
    ]
    if cat.profiles:
        lines[-1] += " (tổng mọi tiêu chí; điểm tối đa theo loại đơn vị: xem cuối danh mục)"
    if cat.notice:
        lines.append(f"Lưu ý: {cat.notice}")
    lines.append("Căn cứ: " + "; ".join(cat.legal_basis))
    lines.append("")
    by_code = {e.code: e for e in index.leaves}
    for area in cat.areas:
        a = area.declared_totals
        lines.append(f"{area.code}. {area.name} — {vn(a.all)} điểm ({_totals_words(a)}) · chủ trì: {area.agency}")
        for criterion in area.criteria:
            items = criterion.items or []
            if not items:
                entry = by_code[criterion.code]
                lines.append(f"   {criterion.code} {criterion.name} — {vn(entry.leaf.max)}{_leaf_note(entry)}")
                continue
            total = sum(i.max for i in items)
            lines.append(f"   {criterion.code} {criterion.name} — {vn(total)}")
            for leaf in items:
                lines.append(f"      {leaf.code} {leaf.name} — {vn(leaf.max)}{_leaf_note(by_code[leaf.code])}")
    lines += _profile_lines(index) + _bonus_lines(cat) + _deduction_lines(cat) + _rating_lines(cat)
    return "\n".join(lines)


def _input_note(given) -> str:
    if isinstance(given, DocumentInput):
        return f"văn bản chủ đề: {given.document}"
    if isinstance(given, IndicatorInput):
        return f"chỉ số: {given.indicator}"
    if isinstance(given, StatisticInput):
        return f"số liệu thống kê: {given.statistic}"
    return f"mục điều tra: {given.survey}"


def _leaf_note(entry) -> str:
    leaf = entry.leaf
    notes = [SCALE_LABELS.get(leaf.scale.type, leaf.scale.type)]
    if leaf.source == Source.SURVEY:
        notes = ["điều tra xã hội học"]
    parts = kind_of(leaf.scale).parts(leaf.scale)
    if parts is None:
        notes.append(_input_note(leaf.input))
    else:
        combine = {"all_of": "đạt đồng thời", "min_of": "lấy mức thấp hơn", "weighted": "cộng theo trọng số"}
        notes[0] += f" ({combine[leaf.scale.combine]})"
        notes += [f"{part.id} = {_input_note(part.input)}" for part in parts]
    given = leaf.input
    if getattr(given, "combine", None) == Combine.SUM:
        notes.append("cộng dồn từ nhiều đơn vị")
    elif getattr(given, "combine", None) == Combine.ALL_OF:
        notes.append("cần văn bản của từng cơ quan chủ trì, phối hợp")
    if leaf.supplied_by:
        notes.append(f"do {leaf.supplied_by} cung cấp")
    if entry.agency != entry.area.agency:
        notes.append(f"chủ trì: {entry.agency}")
    if entry.co_agencies:
        notes.append(f"phối hợp: {', '.join(entry.co_agencies)}")
    if leaf.not_applicable == NotApplicablePolicy.FULL:
        notes.append("không phát sinh: đạt tối đa")
    elif leaf.not_applicable == NotApplicablePolicy.EXCLUDE:
        notes.append("không phát sinh: loại khỏi điểm tối đa")
    return " [" + "; ".join(notes) + "]"


def _profile_lines(index: CatalogueIndex) -> list[str]:
    cat = index.catalogue
    if not cat.profiles:
        return []
    lines = ["", "Loại đơn vị (điểm tối đa của từng loại):"]
    for profile in cat.profiles:
        excluded = index.excluded(profile.id)
        by_area = []
        for area in cat.areas:
            kept = sum((e.leaf.max for e in index.leaves if e.area.code == area.code and e.code not in excluded), ZERO)
            by_area.append(f"{area.code}: {vn(kept)}")
        t = profile.declared_totals
        lines.append(f"  {profile.id} — {profile.name}: {vn(t.all)} điểm ({_totals_words(t)})")
        if profile.description:
            lines.append(f"      {profile.description}")
        lines.append(f"      không áp dụng: {', '.join(profile.excludes) or 'không có'}")
        lines.append(f"      theo lĩnh vực: {'; '.join(by_area)}")
    return lines


def _bonus_lines(cat) -> list[str]:
    bonus = cat.bonus
    if bonus is None:
        return []
    where = "cộng vào Chỉ số (điểm %)" if bonus.added_to == "index" else "cộng vào điểm đạt trước khi chia điểm tối đa"
    above = "Chỉ số có thể vượt 100 %" if bonus.allow_above_max else "Chỉ số không vượt 100 %"
    lines = ["", f"{bonus.name}: tối đa {vn(bonus.cap)} điểm, {where}; {above}."]
    for item in bonus.items:
        scale = SCALE_LABELS.get(item.scale.type, item.scale.type)
        lines.append(f"  {item.code} {item.name} — {vn(item.max)} [{scale}; {_input_note(item.input)}]")
    return lines


def target_words(code: str) -> str:
    """What a deduction item lowers, in words: the total, an area or a TC."""
    if code == "total":
        return "tổng điểm"
    return f"lĩnh vực {code}" if "." not in code else f"tiêu chí {code}"


def _deduction_lines(cat) -> list[str]:
    if not cat.deductions:
        return []
    lines = ["", "Điểm trừ (không trừ quá số điểm đạt của phần bị trừ):"]
    for item in cat.deductions:
        target = target_words(item.applies_to)
        by = f"; số liệu do {item.supplied_by} cung cấp" if item.supplied_by else ""
        lines.append(
            f"  {item.code} {item.name} — trừ {vn(item.per_item)} điểm mỗi trường hợp, tối đa {vn(item.cap)}, "
            f"vào {target} [{_input_note(item.input)}{by}]"
        )
    return lines


def _rating_lines(cat) -> list[str]:
    lines = []
    if cat.ratings:
        symbols = {"min": "≥", "above": ">", "max": "≤", "below": "<"}
        bands = "; ".join(f"{b.name} {symbols[b.bound_key]} {vn(b.threshold)} %" for b in cat.ratings.bands)
        lines += ["", f"Xếp loại theo Chỉ số CCHC (xét từ trên xuống): {bands}."]
    if cat.clusters:
        lines += ["", "Khối xếp hạng:"]
        for cluster in cat.clusters:
            members = f" — loại đơn vị: {', '.join(cluster.profiles)}" if cluster.profiles else " — đơn vị ghi khối"
            lines.append(f"  {cluster.id}: {cluster.name}{members}")
        ranking = cat.ranking
        if ranking is not None:
            overall = "; có bảng xếp hạng chung" if ranking.overall else ""
            lines.append(
                f"  Xếp hạng trong từng khối theo Chỉ số giảm dần, so sánh đến {ranking.precision} chữ số thập phân; "
                f"bằng điểm thì đồng hạng (hạng sau bỏ qua){overall}."
            )
    return lines
