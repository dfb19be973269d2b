"""The self-assessment report (báo cáo tự đánh giá, chấm điểm) that the province sends to Bộ Nội vụ.

ScoreResult + ReportInfo → a view model of preformatted Vietnamese strings → HTML (jinja2, autoescape on)
→ PDF (WeasyPrint). The letter follows Nghị định 30/2020/NĐ-CP; the annex is the Bảng tổng hợp. User text only ever
enters the templates as escaped variables, never as template source.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from par_score.aggregate import pct
from par_score.evidence.model import ReportInfo, Signer
from par_score.numbers import HUNDRED, round_half_up, vn, vn_percent
from par_score.resources import bundled_dir, fonts_dir
from par_score.results import AreaOut, EvidenceOut, FailedConditionOut, LeafOut, NodeOut, ScoreResult
from par_score.rules import RATIO_VARIABLES
from par_score.text import nfc

TEMPLATE = "bao-cao-tu-cham-diem.html.j2"
STYLESHEET = "bao-cao.css"
PDF_FILE = "bao-cao-tu-cham-diem.pdf"
HTML_FILE = "bao-cao-tu-cham-diem.html"

# Real Times New Roman where the host has it (found by family name), else the bundled Liberation Serif, which is
# metric-compatible and covers Vietnamese. The @font-face keeps the font's own family name so that the PDF's font
# list tells which serif was embedded.
BUNDLED_FAMILY = "Liberation Serif"
FONT_STACK = "'Times New Roman', 'Liberation Serif'"
BUNDLED_FACES = (
    ("normal", "normal", "LiberationSerif-Regular.ttf"),
    ("bold", "normal", "LiberationSerif-Bold.ttf"),
    ("normal", "italic", "LiberationSerif-Italic.ttf"),
    ("bold", "italic", "LiberationSerif-BoldItalic.ttf"),
)

DOTS = "…"
NO_EXPLANATION = "chưa có giải trình"
SURVEY_BY_BNV = "do Bộ Nội vụ đánh giá"
EXPLAINED_STATUSES = ("missing_evidence", "zero", "partial")
UNIT_PREFIXES = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Quận ", "Xã ", "Phường ", "Thị trấn ")


# ---- Vietnamese formatting ----------------------------------------------------------------------------------------
def vn_date(day: dt.date | None) -> str:
    """NĐ 30 form: days below 10 and the months 1 and 2 take a leading zero ("ngày 05 tháng 01 năm 2025")."""
    if day is None:
        return f"ngày {DOTS} tháng {DOTS} năm {DOTS}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: dt.date | None) -> str:
    return DOTS if day is None else f"{day:%d/%m/%Y}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# ---- the letter ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Letter:
    parent_body: str | None
    issuing_body: str
    number: str
    place_date: str
    summary: str
    unit: str
    author: str
    reference: str
    signer: Signer
    signer_name: str
    recipients: list[str]
    difficulties: list[list[str]]
    proposals: list[list[str]]


def author_name(result: ScoreResult) -> str:
    """The issuing body in running text: "Ủy ban nhân dân tỉnh Tây Ninh" (a sở signs in its own name)."""
    unit = result.unit
    if unit.level in ("tinh", "huyen", "xa"):
        return f"Ủy ban nhân dân {lower_first(unit.name)}"
    return unit.name


def default_place(unit_name: str) -> str:
    for prefix in UNIT_PREFIXES:
        if unit_name.startswith(prefix) and len(unit_name) > len(prefix):
            return unit_name[len(prefix):]
    return DOTS


def report_number(number: str) -> str:
    number = number.strip()
    if not number:
        return f"{DOTS}/BC-UBND"
    return number if "/" in number else f"{number}/BC-UBND"


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def letter(result: ScoreResult, info: ReportInfo | None) -> Letter:
    info = info or ReportInfo()
    author = author_name(result)
    number = report_number(info.number)
    place = info.place.strip() or default_place(result.unit.name)
    date_text = f"ngày {short_date(info.date)}" if info.date else vn_date(None)
    return Letter(
        parent_body=info.parent_body or None,
        issuing_body=info.issuing_body.strip() or author.upper(),
        number=f"Số: {number}",
        place_date=f"{place}, {vn_date(info.date)}",
        summary=(
            "Kết quả tự đánh giá, chấm điểm xác định Chỉ số cải cách hành chính "
            f"năm {result.year} của {lower_first(result.unit.name)}"
        ),
        unit=lower_first(result.unit.name),
        author=author,
        reference=f"(Kèm theo Báo cáo số {number} {date_text} của {author})",
        signer=info.signer,
        signer_name=info.signer.name.strip() or DOTS,
        recipients=[r.strip() for r in info.recipients if r.strip()] or ["Bộ Nội vụ;", "Lưu: VT."],
        difficulties=[paragraphs(t) for t in info.difficulties if t.strip()],
        proposals=[paragraphs(t) for t in info.proposals if t.strip()],
    )


# ---- I. results by area and the chart -----------------------------------------------------------------------------
@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    max: str
    points: str
    pct: str
    pct_value: Decimal | None
    survey: str


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


def _coord(value: Decimal) -> str:
    return format(round_half_up(value, Decimal("0.1")), "f")


def bar_chart(rows: list[AreaRow]) -> Markup:
    """Horizontal bars of each area's self-assessed percentage, as inline SVG (1 unit = 0.25 mm)."""
    label_w, bar_w, row_h, bar_h, top, axis_h = Decimal(100), Decimal(420), Decimal(30), Decimal(18), Decimal(8), Decimal(26)
    width = Decimal(640)
    height = top + row_h * len(rows) + axis_h
    scale = bar_w / Decimal(100)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_coord(width)} {_coord(height)}" '
        f'width="{_coord(width / 4)}mm" height="{_coord(height / 4)}mm" role="img" '
        f'font-family="{FONT_STACK}" font-size="15">',
        "<title>Tỷ lệ điểm tự đánh giá theo lĩnh vực</title>",
    ]
    bottom = top + row_h * len(rows)
    for tick in range(0, 101, 25):
        x = label_w + scale * tick
        parts.append(
            f'<line x1="{_coord(x)}" y1="{_coord(top)}" x2="{_coord(x)}" y2="{_coord(bottom)}" '
            f'stroke="{"#000" if tick == 0 else "#bbb"}" stroke-width="{"1" if tick == 0 else "0.6"}"/>'
        )
        parts.append(
            f'<text x="{_coord(x)}" y="{_coord(bottom + 18)}" text-anchor="middle">{tick} %</text>'
        )
    for number, row in enumerate(rows):
        y = top + row_h * number
        middle = y + row_h / 2 + Decimal(5)
        parts.append(f'<text x="0" y="{_coord(middle)}">{escape("Lĩnh vực " + row.code)}</text>')
        if row.pct_value is None:
            parts.append(f'<text x="{_coord(label_w + 6)}" y="{_coord(middle)}">—</text>')
            continue
        length = scale * min(row.pct_value, Decimal(100))
        parts.append(
            f'<rect x="{_coord(label_w)}" y="{_coord(y + (row_h - bar_h) / 2)}" width="{_coord(length)}" '
            f'height="{_coord(bar_h)}" fill="#2f4f7f"/>'
        )
        parts.append(f'<text x="{_coord(label_w + length + 6)}" y="{_coord(middle)}">{escape(row.pct)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_counts(result: ScoreResult) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for leaf in result.criteria:
        label = upper_first(leaf.status_label)
        counts[label] = counts.get(label, 0) + 1
    return list(counts.items())


# ---- II. giải trình -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExplanationItem:
    heading: str
    score: str
    shortfall: list[str]
    required: str
    text: list[str]


@dataclass(frozen=True)
class ExplanationGroup:
    heading: str
    items: list[ExplanationItem]


def criterion_kind(leaf: LeafOut) -> str:
    return "Tiêu chí" if leaf.code == leaf.tc else "Tiêu chí thành phần"


def actual_text(failed: FailedConditionOut) -> str:
    """The actual value as read: an exact ratio is shown to 2 decimals, more only where 2 would hide the shortfall."""
    if failed.variable not in RATIO_VARIABLES:
        return failed.actual_display
    try:
        actual, threshold = Decimal(failed.actual) * HUNDRED, Decimal(failed.threshold) * HUNDRED
    except InvalidOperation:
        return failed.actual_display
    for places in range(2, 7):
        if round_half_up(actual, Decimal(1).scaleb(-places)) != threshold:
            return vn_percent(actual, places)
    return failed.actual_display


def shortfall(leaf: LeafOut) -> list[str]:
    """Why the leaf missed its best band: the failed conditions of that band only."""
    if not leaf.failed_conditions:
        return []
    best = leaf.failed_conditions[0].band
    failed = [f for f in leaf.failed_conditions if f.band == best]
    label = failed[0].band_label
    details = "; ".join(f"cần {f.condition}, thực tế: {actual_text(f)}" for f in failed)
    return [f"Chưa đạt mức “{label}”: {details}."]


def explanation_item(leaf: LeafOut) -> ExplanationItem:
    points = "0" if leaf.points is None else vn(leaf.points)
    return ExplanationItem(
        heading=f"{criterion_kind(leaf)} {leaf.code}. {leaf.name}",
        score=f"Điểm tối đa: {vn(leaf.max)}; điểm tự đánh giá: {points} ({leaf.status_label}).",
        shortfall=[] if leaf.status == "missing_evidence" else shortfall(leaf),
        required=leaf.required_evidence if leaf.status == "missing_evidence" else "",
        text=paragraphs(leaf.explanation or ""),
    )


def explanation_groups(result: ScoreResult) -> list[ExplanationGroup]:
    groups = []
    for area in result.areas:
        items = [
            explanation_item(leaf)
            for leaf in result.criteria
            if leaf.area == area.code and leaf.source == "self" and leaf.status in EXPLAINED_STATUSES
        ]
        if items:
            groups.append(ExplanationGroup(heading=f"Lĩnh vực {area.code}. {area.name}", items=items))
    return groups


# ---- Phụ lục: bảng tổng hợp ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentLine:
    number: str
    date: str
    issuer: str
    title: str
    locator: str


@dataclass(frozen=True)
class AnnexRow:
    level: str  # "area" | "tc" | "leaf" | "total"
    code: str
    name: str
    max: str
    points: str
    points_note: bool = False
    documents: list[DocumentLine] = field(default_factory=list)
    no_documents: str = ""
    notes: list[str] = field(default_factory=list)


def document_line(doc: EvidenceOut) -> DocumentLine:
    return DocumentLine(
        number=doc.number,
        date=short_date(doc.issue_date),
        issuer=doc.issuer,
        title=doc.title,
        locator=doc.locator or "",
    )


def leaf_points(leaf: LeafOut) -> tuple[str, bool]:
    """The annex's points cell, and whether it is a note rather than a number."""
    if leaf.status == "survey_pending":
        return SURVEY_BY_BNV, True
    if leaf.status == "survey_estimated":
        return f"{vn(leaf.points)} (ước tính)", False
    if leaf.status in ("out_of_scope", "not_applicable_excluded") or leaf.points is None:
        return "—", False
    return vn(leaf.points), False


def leaf_notes(leaf: LeafOut) -> list[str]:
    if leaf.status == "survey_pending":
        return ["Điều tra xã hội học"]
    notes = ["Điều tra xã hội học"] if leaf.source == "survey" else []
    notes.append(upper_first(leaf.status_label))
    if leaf.not_applicable_reason:
        notes.append(f"Lý do không phát sinh: {leaf.not_applicable_reason}")
    if leaf.source == "self" and leaf.status in EXPLAINED_STATUSES:
        notes.append("Giải trình: xem Mục II của Báo cáo" if leaf.explanation else f"Giải trình: {NO_EXPLANATION}")
    return notes


def leaf_row(leaf: LeafOut, level: str) -> AnnexRow:
    points, note = leaf_points(leaf)
    no_documents = ""
    if not leaf.evidence:
        no_documents = "Không có" if leaf.source == "self" and leaf.status != "out_of_scope" else "—"
        sources = [i.source for i in leaf.inputs if i.source]
        if leaf.status == "survey_estimated" and sources:
            no_documents = "Số liệu xem trước: " + "; ".join(sources)
    return AnnexRow(
        level=level,
        code=leaf.code,
        name=leaf.name,
        max=vn(leaf.max),
        points=points,
        points_note=note,
        documents=[document_line(d) for d in leaf.evidence],
        no_documents=no_documents,
        notes=leaf_notes(leaf),
    )


def node_notes(node: NodeOut, estimated: bool) -> list[str]:
    notes = []
    if node.survey_max:
        if node.includes_survey:
            label = "ước tính" if estimated else "điều tra"
            notes.append(f"Gồm {vn(node.survey_points)}/{vn(node.survey_max)} điểm điều tra xã hội học ({label})")
        else:
            notes.append(f"{vn(node.survey_max)} điểm điều tra xã hội học {SURVEY_BY_BNV}")
    pending = node.survey_max if not node.includes_survey else Decimal(0)
    excluded = node.declared_max - node.max - pending
    if excluded > 0:
        notes.append(f"{vn(excluded)} điểm không phát sinh, không tính vào điểm tối đa")
    if node.self_max and node.survey_max:
        notes.append(f"Tự đánh giá: {vn(node.self_points)}/{vn(node.self_max)} ({vn_percent(pct(node.self_points, node.self_max))})")
    return notes


def area_annex_rows(result: ScoreResult, area: AreaOut) -> list[AnnexRow]:
    leaves = [leaf for leaf in result.criteria if leaf.area == area.code]
    estimated = any(leaf.estimated for leaf in leaves)
    rows = [
        AnnexRow(
            level="area",
            code=area.code,
            name=area.name,
            max=vn(area.declared_max),
            points=vn(area.points),
            notes=node_notes(area, estimated),
        )
    ]
    for tc in area.criteria:
        items = [leaf for leaf in leaves if leaf.tc == tc.code]
        if len(items) == 1 and items[0].code == tc.code:
            rows.append(leaf_row(items[0], "tc"))
            continue
        rows.append(
            AnnexRow(
                level="tc",
                code=tc.code,
                name=tc.name,
                max=vn(tc.declared_max),
                points=vn(tc.points),
                notes=node_notes(tc, any(leaf.estimated for leaf in items)),
            )
        )
        rows.extend(leaf_row(leaf, "leaf") for leaf in items)
    return rows


def total_rows(result: ScoreResult) -> list[AnnexRow]:
    t = result.totals
    notes = [f"Đạt {vn_percent(t.self_pct)} điểm tối đa phần tự đánh giá"]
    if t.self_.declared_max > t.self_.max:
        notes.append(f"{vn(t.self_.declared_max - t.self_.max)} điểm không phát sinh, không tính vào điểm tối đa")
    rows = [AnnexRow(level="total", code="", name="Cộng điểm tự đánh giá", max=vn(t.self_.max), points=vn(t.self_.points), notes=notes)]
    if t.survey.max:
        pending = t.survey.points is None
        rows.append(
            AnnexRow(
                level="total",
                code="",
                name="Điểm điều tra xã hội học",
                max=vn(t.survey.max),
                points=SURVEY_BY_BNV if pending else f"{vn(t.survey.points)} (ước tính)" if t.survey.estimated else vn(t.survey.points),
                points_note=pending,
            )
        )
    if t.index_points is not None:
        label = "Tổng cộng (ước tính)" if t.index_estimated else "Tổng cộng"
        notes = [f"Chỉ số CCHC: {vn_percent(t.index_pct)}"]
        if t.index_estimated:
            notes.append("Gồm điểm điều tra xã hội học ước tính từ số liệu xem trước, chỉ để tham khảo")
        rows.append(AnnexRow(level="total", code="", name=label, max=vn(t.index_max), points=vn(t.index_points), notes=notes))
    return rows


def annex_rows(result: ScoreResult) -> list[AnnexRow]:
    return [row for area in result.areas for row in area_annex_rows(result, area)] + total_rows(result)


def survey_total_sentence(result: ScoreResult) -> str:
    t = result.totals
    if t.survey.points is None:
        return f"Phần điều tra xã hội học ({vn(t.survey.max)} điểm) {SURVEY_BY_BNV}"
    label = "ước tính từ số liệu xem trước" if t.survey.estimated else "theo số liệu điều tra"
    return f"Phần điều tra xã hội học: {vn(t.survey.points)}/{vn(t.survey.max)} điểm ({label})"


# ---- rendering ----------------------------------------------------------------------------------------------------
PERCENT = re.compile(r"\d[\d.,]* %")


def keep_percent_together(value: object) -> object:
    """Escape a plain string and keep "88,54 %" on one line (a no-break space would change the extracted text)."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    return Markup(PERCENT.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', str(escape(value))))


@lru_cache(maxsize=1)
def _environment(folder: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        finalize=keep_percent_together,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def font_faces(folder: Path) -> str:
    """@font-face rules for the bundled serif (the stylesheet asks for Times New Roman first)."""
    return "\n".join(
        f'@font-face {{ font-family: "{BUNDLED_FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(folder / filename).as_uri()}") format("truetype"); }}'
        for weight, style, filename in BUNDLED_FACES
    )


def stylesheet() -> Markup:
    css = (bundled_dir("reports") / STYLESHEET).read_text(encoding="utf-8")
    # Our own files, not user text: safe to place inside <style> verbatim.
    return Markup(font_faces(fonts_dir()) + "\n" + css)


def context(result: ScoreResult, info: ReportInfo | None) -> dict:
    rows = area_rows(result)
    t = result.totals
    return dict(
        result=result,
        letter=letter(result, info),
        css=stylesheet(),
        areas=rows,
        total=total_row(result),
        chart=bar_chart(rows),
        self_total=f"{vn(t.self_.points)}/{vn(t.self_.max)} điểm",
        self_pct=vn_percent(t.self_pct),
        excluded=vn(t.self_.declared_max - t.self_.max) if t.self_.declared_max > t.self_.max else "",
        survey_sentence=survey_total_sentence(result) if t.survey.max else "",
        index_text=(
            f"{vn(t.index_points)}/{vn(t.index_max)} điểm ({vn_percent(t.index_pct)})" if t.index_points is not None else ""
        ),
        counts=status_counts(result),
        explanations=explanation_groups(result),
        annex=annex_rows(result),
        reference_catalogue=result.catalogue.kind == "reference",
    )


def render_html(result: ScoreResult, info: ReportInfo | None = None) -> str:
    """The report as one self-contained HTML document (styles inline, chart as inline SVG, no scripts)."""
    template = _environment(str(bundled_dir("reports"))).get_template(TEMPLATE)
    return nfc(template.render(**context(result, info)))


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    warnings: tuple[str, ...]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # Without Debian's libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools instead: the same embedded
        # glyphs, only slower. That is a note about the machine, not a flaw in the document.
        if not message.startswith("Using fontTools instead of HarfBuzz-Subset"):
            self.messages.append(message)


@lru_cache(maxsize=1)
def _font_coverage() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(fonts_dir() / BUNDLED_FACES[0][2], lazy=True) as font:
        return frozenset(font.getBestCmap())


def uncovered_characters(text: str) -> list[str]:
    """Characters the bundled serif cannot draw (they would fall back to another font or a box)."""
    coverage = _font_coverage()
    missing = {ch for ch in text if unicodedata.category(ch)[0] != "C" and ord(ch) not in coverage}
    return sorted(missing)


def _url_fetcher():
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint < 67 has only the default fetcher function
        return None
    return URLFetcher(allowed_protocols=("file", "data"))


def render_pdf(html: str) -> RenderedPdf:
    """HTML → PDF bytes; WeasyPrint's warnings and characters missing from the serif are returned, not printed."""
    import weasyprint

    collector = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        document = weasyprint.HTML(
            string=html, base_url=bundled_dir("reports").as_uri() + "/", url_fetcher=_url_fetcher()
        )
        data = document.write_pdf()
    finally:
        logger.removeHandler(collector)
    warnings = list(collector.messages)
    missing = uncovered_characters(html)
    if missing:
        listed = ", ".join(f"“{ch}” (U+{ord(ch):04X})" for ch in missing)
        warnings.append(f"phông chữ không có ký tự: {listed}")
    return RenderedPdf(data=data, warnings=tuple(warnings))
