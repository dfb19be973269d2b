"""Cross-checks of a bundle against a catalogue: every code known, every reference resolved, every figure sane."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from par_score.catalogue import CatalogueIndex
from par_score.errors import InputError, Problem, os_reason
from par_score.evidence.model import SECTIONS, Bundle, Origin
from par_score.io.hashing import sha256_file
from par_score.scales import kind_of
from par_score.vocabulary import NotApplicablePolicy, Source

MAX_ATTACHED_BYTES = 200 * 1024 * 1024


# The order of a file's parts, for listing problems in file order: header, record sections, report.
_PART_ORDER = {"header": -1, **{section: n for n, section in enumerate(SECTIONS)}, "report": len(SECTIONS)}


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
        origin = self.bundle.origin(section, index)
        if origin.record is not None:
            shown = origin.fields.get(field, field) if field else None
            self._put(origin, Problem(message, file=origin.file, record=origin.record, field=shown))
            return
        record = getattr(self.bundle, section)[index]
        key = next(
            (f"{k}: {getattr(record, k)}" for k in ("id", "indicator", "criterion", "item") if hasattr(record, k)),
            None,
        )
        label = f"{section} #{origin.index + 1}" + (f" ({key})" if key else "")
        self._put(origin, Problem(message, file=origin.file, record=label, field=field))

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


def check_bundle(bundle: Bundle, index: CatalogueIndex, *, verify_files: bool = True) -> None:
    """Raise InputError listing every problem of `bundle` against catalogue `index`.

    The problems of the records a lenient load left out (see evidence.load) are listed with them, in file order then
    position in the file: a bundle that had any never passes.
    """
    c = _Collector(bundle)
    year = index.year
    if bundle.year != year:
        c.header("year", f"năm đánh giá {bundle.year} khác năm của danh mục '{index.id}' ({year})")
    if bundle.catalogue and bundle.catalogue != index.id:
        c.header("catalogue", f"bộ bằng chứng được lập cho danh mục '{bundle.catalogue}', đang chấm bằng '{index.id}'")
    if bundle.unit.level != index.catalogue.unit_level:
        c.header("unit.level", f"cấp đơn vị '{bundle.unit.level}' khác cấp của danh mục '{index.catalogue.unit_level}'")

    doc_ids = Counter(d.id for d in bundle.documents)
    left_out = {p.record_id for p in bundle.load_problems if p.record_id is not None}
    known_docs = set(doc_ids) | left_out  # a document left out is reported once, not again at each reference
    window = index.catalogue.evidence_window
    start, end = window.dates(bundle.year)
    periods_by_topic: dict[str, set[str]] = {}
    earliest_by_topic: dict[str, dt.date] = {}
    for entry in index.leaves:
        kind, topic = entry.input_key
        if kind != "document":
            continue
        scale_kind = kind_of(entry.leaf.scale)
        periods = scale_kind.periods(entry.leaf.scale)
        if periods:
            periods_by_topic[topic] = {p.id for p in periods}
        earliest = scale_kind.earliest_plausible(entry.leaf.scale, year, window.plan_lead_days)
        if earliest is not None:
            earliest_by_topic[topic] = earliest
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
            if ref not in known_docs:
                c.add(section, i, "documents", f"văn bản '{ref}' không có trong phần documents")

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

    seen_indicators: dict[str, int] = {}
    for i, metric in enumerate(bundle.metrics):
        check_refs("metrics", i, metric.documents)
        entry = index.by_indicator.get(metric.indicator)
        if metric.indicator in seen_indicators:
            c.add("metrics", i, "indicator", f"chỉ số '{metric.indicator}' đã có số liệu ở bản ghi trước")
        seen_indicators.setdefault(metric.indicator, i)
        if entry is None:
            c.add("metrics", i, "indicator", f"chỉ số '{metric.indicator}' không có trong danh mục '{index.id}'")
            continue
        leaf = entry.leaf
        if leaf.code in na_codes:
            c.add("metrics", i, "indicator", f"tiêu chí {leaf.code} đã khai báo không phát sinh nhưng vẫn có số liệu")
        for field, message in kind_of(leaf.scale).check_metric(metric, leaf.input, leaf.code, leaf.not_applicable):
            c.add("metrics", i, field, message)

    seen_items: set[str] = set()
    weights = index.catalogue.survey_answer_weights
    for i, result in enumerate(bundle.survey):
        if result.item not in index.by_survey_item:
            c.add("survey", i, "item", f"mục điều tra '{result.item}' không có trong danh mục '{index.id}'")
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
