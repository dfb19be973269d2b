"""Cross-checks of a bundle against a catalogue: every code known, every reference resolved, every figure sane."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from par_score.catalogue import CatalogueIndex
from par_score.errors import InputError, Problem, os_reason
from par_score.evidence.model import SECTIONS, Bundle, Origin
from par_score.evidence.wording import field_word, worded
from par_score.evidence.workbook.layout import SHEET_NAMES
from par_score.io.hashing import sha256_file
from par_score.scales import same_agency
from par_score.scoring.facts import record_place
from par_score.vocabulary import Combine, NotApplicablePolicy, Source

MAX_ATTACHED_BYTES = 200 * 1024 * 1024


# The order of a file's parts, for listing problems in file order: header, record sections, report.
_PART_ORDER = {"header": -1, **{section: n for n, section in enumerate(SECTIONS)}, "report": len(SECTIONS)}


def located(bundle: Bundle, section: str, index: int, field: str | None, message: str) -> tuple[Origin, Problem]:
    """A problem of one record, placed where the record was read: in a workbook its sheet, row and column (and the
    message names the row's columns), in a YAML/JSON file its record and field."""
    origin = bundle.origin(section, index)
    if origin.record is not None:
        shown = origin.fields.get(field, field) if field else None
        text = worded(message, origin.fields, SHEET_NAMES)
        return origin, Problem(text, file=origin.file, record=origin.record, field=shown)
    record = getattr(bundle, section)[index]
    key = next(
        (
            f"{k}: {getattr(record, k)}"
            for k in ("id", "indicator", "statistic", "criterion", "item", "topic")
            if isinstance(getattr(record, k, None), str)
        ),
        None,
    )
    label = f"{section} #{origin.index + 1}" + (f" ({key})" if key else "")
    return origin, Problem(worded(message), file=origin.file, record=label, field=field)


class _Collector:
    """Problems with their place (file, part of the file, position): the load problems first, then the checks'."""

    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self._file_order = {file: n for n, file in enumerate(bundle.files)}
        self._found: list[tuple[tuple[int, int, int], Problem]] = []
        for loaded in bundle.load_problems:
            self._put(loaded.origin, loaded.problem)

    def _put(self, origin: Origin, problem: Problem) -> None:
        place = (self._file_order.get(origin.file, -1), _PART_ORDER.get(origin.section, -1), origin.index)
        self._found.append((place, problem))

    @property
    def problems(self) -> list[Problem]:
        """In file order, then by position in the file (stable: one record's problems keep their order)."""
        return [problem for _, problem in sorted(self._found, key=lambda found: found[0])]

    def add(self, section: str, index: int, field: str | None, message: str) -> None:
        self._put(*located(self.bundle, section, index, field, message))

    def header(self, field: str, message: str) -> None:
        origin = self.bundle.header_origin(field)
        if origin is not None:
            self._put(
                origin, Problem(message, file=origin.file, record=origin.record, field=origin.fields.get(field, field))
            )
            return
        files = self.bundle.files
        file = files[0] if len(files) == 1 else self.bundle.root
        part = "report" if field.startswith("report") else "header"
        self._put(Origin(file=file, section=part, index=0), Problem(message, file=file, field=field))


def _check_contribution(c: _Collector, bundle: Bundle, i: int, earlier: list[int], combine: str) -> None:
    """A second figure for an indicator: refused where the catalogue takes one; where it sums them, each must come
    from its own contributor, as numerator and denominator (or value) — a percent cannot be summed."""
    if not earlier:
        return
    metric = bundle.metrics[i]
    first = earlier[0]
    where = record_place(bundle, "metrics", first)
    if combine != Combine.SUM:
        c.add(
            "metrics",
            i,
            "indicator",
            f"chỉ số '{metric.indicator}' đã có số liệu ở bản ghi trước ({where}); danh mục chỉ nhận một số liệu cho "
            "chỉ số này (combine: one)",
        )
        return
    if metric.form == "percent" or any(bundle.metrics[j].form == "percent" for j in earlier):
        c.add(
            "metrics",
            i,
            "percent" if metric.form == "percent" else "indicator",
            f"chỉ số '{metric.indicator}' được cộng dồn từ nhiều đơn vị (combine: sum): mỗi đơn vị nhập "
            f"{field_word('numerator')} và {field_word('denominator')}, không nhập {field_word('percent')} (không cộng "
            "được tỷ lệ)",
        )
    if metric.contributor is None or any(bundle.metrics[j].contributor is None for j in earlier):
        c.add(
            "metrics",
            i,
            "contributor",
            f"chỉ số '{metric.indicator}' có nhiều số liệu ({where} và dòng này): mỗi số liệu cộng dồn cần ghi "
            f"{field_word('contributor')} để không cộng trùng",
        )
        return
    twin = next((j for j in earlier if same_agency(bundle.metrics[j].contributor or "", metric.contributor)), None)
    if twin is not None:
        c.add(
            "metrics",
            i,
            "contributor",
            f"'{metric.contributor}' đã có số liệu cho chỉ số '{metric.indicator}' ở "
            f"{record_place(bundle, 'metrics', twin)}: mỗi đơn vị chỉ một số liệu (có phải bản sửa được gửi hai lần?)",
        )


def _check_not_achieved(c: _Collector, bundle: Bundle, index: CatalogueIndex, na_codes, periods_by_topic, check_refs):
    """A "không đạt" declaration names a document topic of the catalogue (and a period of a periodic report), and
    never contradicts the evidence: no document on the same topic (or report for the same period), no không phát
    sinh declaration for the same criterion, no second declaration of the same thing."""
    on_topic: dict[str, list] = {}
    for document in bundle.documents:
        for topic in document.topics:
            on_topic.setdefault(topic, []).append(document)
    leaves_by_topic: dict[str, list[str]] = {}
    for entry in index.leaves:
        if entry.input_key[0] == "document":
            leaves_by_topic.setdefault(entry.input_key[1], []).append(entry.code)
    seen: dict[tuple[str, str | None], int] = {}
    for i, declaration in enumerate(bundle.not_achieved):
        check_refs("not_achieved", i, declaration.documents)
        topic, period = declaration.topic, declaration.period
        if topic not in index.topics:
            c.add("not_achieved", i, "topic", f"chủ đề '{topic}' không có trong danh mục '{index.id}'")
            continue
        allowed = periods_by_topic.get(topic, set())
        if period is not None and not allowed:
            c.add(
                "not_achieved",
                i,
                "period",
                f"chủ đề '{topic}' không phải báo cáo định kỳ: không khai báo {field_word('period')}",
            )
        elif period is not None and period not in allowed:
            c.add(
                "not_achieved", i, "period", f"kỳ '{period}' không hợp lệ; các kỳ hợp lệ: {', '.join(sorted(allowed))}"
            )
        key = (topic, period)
        if key in seen or (topic, None) in seen or (period is None and any(k[0] == topic for k in seen)):
            c.add("not_achieved", i, "topic", f"chủ đề '{topic}' đã được khai báo không đạt ở bản ghi trước")
        seen.setdefault(key, i)
        clashing = [d for d in on_topic.get(topic, []) if not allowed or period is None or d.period == period]
        if clashing:
            what = f"báo cáo kỳ '{period}'" if period else "văn bản"
            c.add(
                "not_achieved",
                i,
                "topic",
                f"chủ đề '{topic}' vừa khai báo không đạt vừa có {what} ('{clashing[0].id}'): hãy bỏ một trong hai",
            )
        for code in leaves_by_topic.get(topic, []):
            if code in na_codes:
                c.add(
                    "not_achieved",
                    i,
                    "topic",
                    f"tiêu chí {code} (chủ đề '{topic}') đã khai báo không phát sinh, không khai báo không đạt",
                )


def check_bundle(
    bundle: Bundle, index: CatalogueIndex, *, verify_files: bool = True, other_agencies: bool = False
) -> None:
    """Raise InputError listing every problem of `bundle` against catalogue `index`.

    The problems of the records a lenient load left out (see evidence.load) are listed with them, in file order then
    position in the file: a bundle that had any never passes. `other_agencies`: the bundle is one agency's part
    (its preview), so a document id it cites but does not hold is another agency's document — a reference, not an
    error (merging checks it).
    """
    c = _Collector(bundle)
    year = index.year
    if bundle.year != year:
        c.header("year", f"năm đánh giá {bundle.year} khác năm của danh mục '{index.id}' ({year})")
    if bundle.catalogue and bundle.catalogue != index.id:
        c.header("catalogue", f"bộ bằng chứng được lập cho danh mục '{bundle.catalogue}', đang chấm bằng '{index.id}'")
    if bundle.unit.level != index.catalogue.unit_level:
        c.header("unit.level", f"cấp đơn vị '{bundle.unit.level}' khác cấp của danh mục '{index.catalogue.unit_level}'")
    _check_profile_and_cluster(c, bundle, index)

    doc_ids = Counter(d.id for d in bundle.documents)
    left_out = {p.record_id for p in bundle.load_problems if p.record_id is not None}
    known_docs = set(doc_ids) | left_out  # a document left out is reported once, not again at each reference
    window = index.catalogue.evidence_window
    start, end = window.dates(bundle.year)
    periods_by_topic: dict[str, set[str]] = {}
    earliest_by_topic: dict[str, dt.date] = {}
    for (section, topic), uses in index.uses.items():
        if section != "document":
            continue
        for use in uses:
            periods = use.kind.periods(use.scale)
            if periods:
                periods_by_topic.setdefault(topic, set()).update(p.id for p in periods)
            earliest = use.kind.earliest_plausible(use.scale, year, window.plan_lead_days)
            if earliest is not None:
                earliest_by_topic[topic] = max(earliest, earliest_by_topic.get(topic, earliest))
    seen_ids: set[str] = set()
    for i, doc in enumerate(bundle.documents):
        if doc.id in seen_ids:
            c.add("documents", i, "id", f"mã văn bản '{doc.id}' bị trùng")
        seen_ids.add(doc.id)
        if not (start <= doc.issue_date <= end):
            c.add(
                "documents",
                i,
                "issue_date",
                f"ngày {doc.issue_date:%d/%m/%Y} nằm ngoài khoảng của năm đánh giá {bundle.year} "
                f"({start:%d/%m/%Y} – {end:%d/%m/%Y})",
            )
        for topic in doc.topics:
            earliest = earliest_by_topic.get(topic)
            if earliest is not None and doc.issue_date < earliest:
                c.add(
                    "documents",
                    i,
                    "issue_date",
                    f"văn bản chủ đề '{topic}' ngày {doc.issue_date:%d/%m/%Y} ban hành quá sớm (trước "
                    f"{earliest:%d/%m/%Y}): "
                    f"có phải văn bản của năm trước?",
                )
            if topic not in index.topics:
                c.add("documents", i, "topics", f"chủ đề '{topic}' không có trong danh mục '{index.id}'")
        if doc.sent_date is not None and doc.sent_date > end:
            c.add(
                "documents",
                i,
                "sent_date",
                f"ngày gửi {doc.sent_date:%d/%m/%Y} sau hạn cuối của năm đánh giá ({end:%d/%m/%Y})",
            )
        allowed = set().union(*(periods_by_topic.get(t, set()) for t in doc.topics))
        if doc.period is not None and not allowed:
            c.add(
                "documents",
                i,
                "period",
                "chỉ báo cáo định kỳ mới khai báo kỳ (period); văn bản này không thuộc chủ đề báo cáo định kỳ",
            )
        elif doc.period is not None and doc.period not in allowed:
            c.add(
                "documents", i, "period", f"kỳ '{doc.period}' không hợp lệ; các kỳ hợp lệ: {', '.join(sorted(allowed))}"
            )
        elif doc.period is None and allowed:
            # Without its period a report would silently count for none of them.
            c.add(
                "documents",
                i,
                "period",
                f"báo cáo định kỳ cần khai báo kỳ báo cáo (period): {', '.join(sorted(allowed))}",
            )
        if doc.file is not None and verify_files:
            message = _check_attached(Path(bundle.root), doc.file.path, doc.file.sha256)
            if message:
                c.add("documents", i, "file.path", message)

    def check_refs(section: str, i: int, refs: list[str]) -> None:
        for ref in refs:
            if ref not in known_docs and not other_agencies:
                c.add(section, i, "documents", f"văn bản '{ref}' không có trong phần documents")

    excluded = index.excluded(bundle.unit.profile)
    profile = bundle.unit.profile
    na_codes: dict[str, int] = {}
    for i, na in enumerate(bundle.not_applicable):
        entry = index.by_code.get(na.criterion)
        if entry is None:
            c.add("not_applicable", i, "criterion", f"tiêu chí '{na.criterion}' không có trong danh mục '{index.id}'")
        elif entry.leaf.source == Source.SURVEY:
            c.add(
                "not_applicable",
                i,
                "criterion",
                f"tiêu chí {na.criterion} do Bộ Nội vụ đánh giá qua điều tra, không khai báo không phát sinh",
            )
        elif entry.code in excluded:
            c.add(
                "not_applicable",
                i,
                "criterion",
                f"tiêu chí {na.criterion} không áp dụng đối với loại đơn vị '{profile}'; bỏ khai báo này",
            )
        elif entry.leaf.not_applicable == NotApplicablePolicy.NONE:
            c.add(
                "not_applicable",
                i,
                "criterion",
                f"tiêu chí {na.criterion} không được khai báo không phát sinh theo danh mục",
            )
        if na.criterion in na_codes:
            c.add(
                "not_applicable",
                i,
                "criterion",
                f"tiêu chí {na.criterion} đã được khai báo không phát sinh ở bản ghi trước",
            )
        na_codes.setdefault(na.criterion, i)
        check_refs("not_applicable", i, na.documents)

    for section, kind, key_field in (("metrics", "indicator", "indicator"), ("statistics", "statistic", "statistic")):
        what = "chỉ số" if kind == "indicator" else "số liệu thống kê"
        seen: dict[str, list[int]] = {}
        for i, figure in enumerate(getattr(bundle, section)):
            key = getattr(figure, key_field)
            check_refs(section, i, figure.documents)
            uses = index.uses.get((kind, key), [])
            if not uses:
                elsewhere = index.uses.get(("statistic" if kind == "indicator" else "indicator", key))
                hint = ""
                if elsewhere:
                    hint = (
                        "; đây là số liệu thống kê do cơ quan khác cung cấp, hãy ghi ở phần statistics"
                        if kind == "indicator"
                        else "; đây là chỉ số đơn vị tự báo cáo, hãy ghi ở phần metrics"
                    )
                c.add(section, i, key_field, f"{what} '{key}' không có trong danh mục '{index.id}'{hint}")
                continue
            earlier = seen.setdefault(key, [])
            if kind == "indicator":
                _check_contribution(c, bundle, i, earlier, uses[0].given.combine)
            elif earlier:
                c.add(section, i, key_field, f"{what} '{key}' đã có số liệu ở bản ghi trước")
            earlier.append(i)
            if all(not index.applies(use.owner, profile) for use in uses):
                codes = ", ".join(dict.fromkeys(use.code for use in uses))
                c.add(
                    section,
                    i,
                    key_field,
                    f"{what} '{key}' ({codes}) không áp dụng đối với loại đơn vị '{profile}'; bỏ số liệu này",
                )
                continue
            for use in uses:
                if use.code in na_codes:
                    c.add(
                        section, i, key_field, f"tiêu chí {use.code} đã khai báo không phát sinh nhưng vẫn có số liệu"
                    )
                for field, message in use.kind.check_metric(figure, use.given, use.code, use.owner.not_applicable):
                    c.add(section, i, field, message)

    _check_not_achieved(c, bundle, index, na_codes, periods_by_topic, check_refs)

    seen_items: set[str] = set()
    weights = index.catalogue.survey_answer_weights
    for i, result in enumerate(bundle.survey):
        if result.item not in index.by_survey_item:
            c.add("survey", i, "item", f"mục điều tra '{result.item}' không có trong danh mục '{index.id}'")
        elif index.by_survey_item[result.item].code in excluded:
            c.add("survey", i, "item", f"mục điều tra '{result.item}' không áp dụng đối với loại đơn vị '{profile}'")
        if result.item in seen_items:
            c.add("survey", i, "item", f"mục điều tra '{result.item}' đã có ở bản ghi trước")
        seen_items.add(result.item)
        for answer in result.answers or {}:
            if answer not in weights:
                c.add(
                    "survey",
                    i,
                    "answers",
                    f"phương án '{answer}' không có trọng số trong danh mục ({', '.join(weights)})",
                )

    for i, explanation in enumerate(bundle.explanations):
        if explanation.criterion not in index.node_codes:
            c.add(
                "explanations",
                i,
                "criterion",
                f"tiêu chí '{explanation.criterion}' không có trong danh mục '{index.id}'",
            )
        check_refs("explanations", i, explanation.documents)

    if bundle.report and bundle.report.date and not (dt.date(bundle.year, 1, 1) <= bundle.report.date <= end):
        c.header(
            "report.date",
            f"ngày báo cáo {bundle.report.date:%d/%m/%Y} phải trong khoảng 01/01/{bundle.year} – {end:%d/%m/%Y}",
        )

    problems = c.problems
    if problems:
        raise InputError(problems)


def soft_problems(bundle: Bundle, index: CatalogueIndex) -> list[Problem]:
    """What the checks let through but a person should look at again (a figure far from last year's): warnings,
    listed in the result, never errors. Located like any problem."""
    found = []
    for i, metric in enumerate(bundle.metrics):
        uses = index.uses.get(("indicator", metric.indicator), [])[:1]  # one warning per figure, not per reader
        for use in uses:
            for field, message in use.kind.soft_check(metric, use.given):
                found.append(located(bundle, "metrics", i, field, f"chỉ số '{metric.indicator}': {message}")[1])
    found += _stale_parts(bundle)
    return found


def _stale_parts(bundle: Bundle) -> list[Problem]:
    """A merged bundle whose parts changed since the merge holds the old figures: say which agency's part."""
    found = []
    for part in bundle.parts:
        path = Path(bundle.root) / part.path
        who = f" của {part.contributor}" if part.contributor else ""
        try:
            digest = sha256_file(path) if path.is_file() else None
        except OSError:
            digest = None
        if digest == part.sha256:
            continue
        what = "đã thay đổi sau khi hợp nhất" if digest else "không còn ở chỗ đã ghi khi hợp nhất"
        found.append(
            Problem(
                f"phần{who} '{part.path}' {what}: bộ tài liệu này có thể chưa có bản sửa — hãy chạy lại "
                "'par-score merge' rồi chấm",
                file=bundle.files[0] if len(bundle.files) == 1 else bundle.root,
                field="parts",
            )
        )
    return found


def _check_profile_and_cluster(c: _Collector, bundle: Bundle, index: CatalogueIndex) -> None:
    """A catalogue with profiles needs the unit's (a known one); a catalogue with clusters, a cluster the unit's
    profile decides or the unit names (a known one, not contradicting its profile's)."""
    unit = bundle.unit
    profiles = index.profiles
    if profiles and unit.profile is None:
        c.header(
            "unit.profile", f"danh mục '{index.id}' chấm theo loại đơn vị; hãy ghi unit.profile: {', '.join(profiles)}"
        )
    elif unit.profile is not None and unit.profile not in profiles:
        known = f"các loại: {', '.join(profiles)}" if profiles else "danh mục không chia loại đơn vị"
        c.header("unit.profile", f"loại đơn vị '{unit.profile}' không có trong danh mục '{index.id}' ({known})")
    clusters = {cluster.id: cluster for cluster in index.catalogue.clusters or []}
    if unit.cluster is not None and unit.cluster not in clusters:
        known = f"các khối: {', '.join(clusters)}" if clusters else "danh mục không chia khối"
        c.header("unit.cluster", f"khối '{unit.cluster}' không có trong danh mục '{index.id}' ({known})")
        return
    by_profile = index.cluster_of_profile(unit.profile)
    if by_profile is not None and unit.cluster is not None and unit.cluster != by_profile:
        c.header(
            "unit.cluster",
            f"đơn vị loại '{unit.profile}' thuộc khối '{by_profile}' theo danh mục, không phải '{unit.cluster}'",
        )
    elif clusters and not index.clusters_by_profile and unit.cluster is None and len(clusters) > 1:
        c.header("unit.cluster", f"hãy ghi khối của đơn vị (unit.cluster): {', '.join(clusters)}")


def _check_attached(root: Path, relative: str, sha256: str | None) -> str | None:
    """Attached files must stay inside the bundle folder, be regular files (no links), and match their hash."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in relative):
        return "đường dẫn tệp đính kèm chứa ký tự điều khiển (không hợp lệ)"
    candidate = Path(relative)
    if candidate.is_absolute() or relative.startswith(("/", "\\")) or ":" in relative.split("/")[0]:
        return "đường dẫn tệp đính kèm phải là đường dẫn tương đối trong thư mục bộ bằng chứng"
    if ".." in candidate.parts or ".." in relative.split("\\"):
        return "đường dẫn tệp đính kèm không được ra ngoài thư mục bộ bằng chứng ('..')"
    if "\\" in relative:
        return "đường dẫn tệp đính kèm phải dùng dấu '/' để phân cách thư mục (không dùng '\\')"
    try:
        return _attached_file_problem(root, candidate, relative, sha256)
    except OSError as exc:  # a name too long, a permission denied, …: refused, never a crash
        return f"không đọc được tệp đính kèm '{relative}' ({os_reason(exc)})"
    except ValueError:
        return f"đường dẫn tệp đính kèm '{relative}' không hợp lệ"


def _attached_file_problem(root: Path, candidate: Path, relative: str, sha256: str | None) -> str | None:
    full = root / candidate
    current = root
    for part in candidate.parts:
        current = current / part
        if current.is_symlink():
            return f"tệp đính kèm không được là liên kết (symlink): {relative}"
    try:
        full.resolve().relative_to(root.resolve())
    except ValueError:
        return "đường dẫn tệp đính kèm ra ngoài thư mục bộ bằng chứng"
    if not full.is_file():
        return f"không tìm thấy tệp đính kèm '{relative}'"
    if full.stat().st_size > MAX_ATTACHED_BYTES:
        return "tệp đính kèm quá lớn (tối đa 200 MB)"
    if sha256 is not None:
        digest = sha256_file(full)
        if digest != sha256:
            return f"mã băm sha256 của tệp không khớp (khai báo {sha256[:12]}…, thực tế {digest[:12]}…)"
    return None
