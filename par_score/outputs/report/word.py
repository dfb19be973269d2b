"""The report as a Word document (DOCX, python-docx): the same view model, letter and annex as the PDF, so that an
office can edit the letter before the leader signs it.

NĐ 30 page setup: A4, the letter portrait (margins top/bottom 20 mm, left 30 mm, right 15 mm), the annex a landscape
section of its own (top 25 mm, bottom 20 mm, left 30 mm, right 20 mm) with its own page numbers; page numbers centred
in the header from the second page; Times New Roman (Liberation Serif, metric-compatible, where it is absent).
Paragraphs take named styles ("PS Đoạn văn", "PS Bảng", …) rather than direct formatting, so an office changes a
style once; table headers repeat on every page and rows never split; a draft carries "DỰ THẢO" in every header.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterable

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from par_score.outputs.report.document import HeaderCell, ReportDocument, header_rows
from par_score.outputs.report.figures import Column, Row

DOCX_FILE = "bao-cao-tu-cham-diem.docx"
FONT = "Times New Roman"
INDENT = Cm(1.27)
NBSP = "\u00a0"
KEEP_WITH_NEXT = {"PS Bảng": "PS Bảng nhóm", "PS Bảng số": "PS Bảng số nhóm"}
PORTRAIT_TEXT_MM = 165  # 210 − 30 − 15
LANDSCAPE_TEXT_MM = 247  # 297 − 30 − 20

# name → (size pt, bold, italic, alignment, first-line indent, space after pt, keep with next)
PARAGRAPH_STYLES = {
    "PS Đoạn văn": (14, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY, True, 6, False),
    "PS Đoạn văn giữa": (14, False, False, WD_ALIGN_PARAGRAPH.CENTER, False, 6, False),
    "PS Mục": (14, True, False, WD_ALIGN_PARAGRAPH.JUSTIFY, True, 6, True),
    "PS Tiểu mục": (14, True, False, WD_ALIGN_PARAGRAPH.JUSTIFY, True, 4, True),
    "PS Nhóm": (14, True, True, WD_ALIGN_PARAGRAPH.JUSTIFY, True, 4, True),
    "PS Tiêu đề": (14, True, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, True),
    "PS Tên văn bản": (14, True, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, True),
    "PS Ngày tháng": (14, False, True, WD_ALIGN_PARAGRAPH.CENTER, False, 0, False),
    "PS Cơ quan": (13, True, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, False),
    "PS Cơ quan chủ quản": (13, False, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, False),
    "PS Quốc hiệu": (12.5, True, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, False),
    "PS Tiêu ngữ": (13.5, True, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, False),
    "PS Số văn bản": (13, False, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, False),
    "PS Nơi nhận": (11, False, False, WD_ALIGN_PARAGRAPH.LEFT, False, 0, False),
    "PS Nơi nhận nhãn": (12, True, True, WD_ALIGN_PARAGRAPH.LEFT, False, 0, False),
    "PS Chữ ký": (14, True, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, False),
    "PS Chú thích": (10.5, False, True, WD_ALIGN_PARAGRAPH.JUSTIFY, False, 3, False),
    "PS Chú thích bảng": (11, False, True, WD_ALIGN_PARAGRAPH.LEFT, False, 2, True),
    "PS Bảng": (10, False, False, WD_ALIGN_PARAGRAPH.LEFT, False, 0, False),
    "PS Bảng số": (10, False, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, False),
    "PS Bảng tiêu đề": (9.5, True, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, False),
    "PS Bảng nhóm": (10, False, False, WD_ALIGN_PARAGRAPH.LEFT, False, 0, True),  # a heading row: kept with the next
    "PS Bảng số nhóm": (10, False, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, True),
    "PS Dấu": (13, True, False, WD_ALIGN_PARAGRAPH.RIGHT, False, 0, False),
    "PS Số trang": (13, False, False, WD_ALIGN_PARAGRAPH.CENTER, False, 0, False),
}
CHARACTER_STYLES = {
    "PS Nhấn": (True, False),
    "PS Nghiêng": (False, True),
    "PS Nhấn nghiêng": (True, True),
    "PS Gạch chân": (None, None),  # the motto (tiêu ngữ): underlined
}


def style_id(name: str) -> str:
    """An ASCII style id for a Vietnamese style name ("PS Đoạn văn" → "PSDoanvan"): every word processor reads it."""
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in plain if ch.isascii() and ch.isalnum())


# ---- styles ----------------------------------------------------------------------------------------------------------
def _fonts(element, size: float | None = None) -> None:
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def define_styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for name, (size, bold, italic, align, indent, after, keep) in PARAGRAPH_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = INDENT if indent else None
        fmt.space_after = Pt(after)
        fmt.space_before = Pt(0)
        fmt.keep_with_next = keep
        fmt.widow_control = True
        if size <= 11:
            fmt.line_spacing = 1.0
        if name == "PS Tên văn bản":
            fmt.space_before = Pt(12)
        style.element.styleId = style_id(name)
    for name, (bold, italic) in CHARACTER_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.element.styleId = style_id(name)
        style.font.bold = bold
        style.font.italic = italic
        if name == "PS Gạch chân":
            style.font.underline = True


# ---- low-level helpers -------------------------------------------------------------------------------------------
def para(container, text: str = "", style: str = "PS Đoạn văn", runs: Iterable[tuple[str, str | None]] = ()):
    paragraph = container.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    for run_text, run_style in runs:
        paragraph.add_run(run_text, style=run_style)
    return paragraph


def cell_text(cell, text: str, style: str = "PS Bảng", run_style: str | None = None):
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text, style=run_style)
    return paragraph


def _set(element, tag: str, **attributes: str) -> None:
    child = element.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        element.append(child)
    for key, value in attributes.items():
        child.set(qn(key), value)


def repeat_header(row) -> None:
    _set(row._tr.get_or_add_trPr(), "w:tblHeader", **{"w:val": "true"})


def cant_split(row) -> None:
    _set(row._tr.get_or_add_trPr(), "w:cantSplit", **{"w:val": "true"})


def shade(cell, fill: str = "E6E6E6") -> None:
    _set(cell._tc.get_or_add_tcPr(), "w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill})


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def widths(table, millimetres: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set(table._tbl.tblPr, "w:tblLayout", **{"w:type": "fixed"})
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    if margins is None:
        margins = OxmlElement("w:tblCellMar")
        table._tbl.tblPr.append(margins)
    for edge in ("left", "right"):
        _set(margins, f"w:{edge}", **{"w:w": str(int(Mm(1.2).twips)), "w:type": "dxa"})
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), millimetres, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, millimetres, strict=False):
            cell.width = Mm(width)


def page_number_field(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def setup_section(section, *, landscape: bool, stamp: str, restart: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    top, right, bottom, left = (25, 20, 20, 30) if landscape else (20, 15, 20, 30)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = (
        Mm(top),
        Mm(right),
        Mm(bottom),
        Mm(left),
    )
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    section.first_page_header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.style = "PS Số trang"
    page_number_field(header)
    first = section.first_page_header.paragraphs[0]
    first.style = "PS Dấu"
    if stamp:
        first.add_run(stamp)
        para(section.header, stamp, "PS Dấu")
    if restart:
        _set(section._sectPr, "w:pgNumType", **{"w:start": "1"})


# ---- the letter ----------------------------------------------------------------------------------------------------
def letterhead(document, doc: ReportDocument) -> None:
    table = document.add_table(rows=2 if not doc.preview else 1, cols=2)
    no_borders(table)
    widths(table, [66, 99])
    left, right = table.rows[0].cells
    left.paragraphs[0].style = "PS Cơ quan chủ quản"
    lines = [(line, "PS Cơ quan chủ quản") for line in doc.letter.parent_body]
    lines += [(line, "PS Cơ quan") for line in doc.letter.issuing_body]
    first = True
    for text, style in lines:
        paragraph = left.paragraphs[0] if first else left.add_paragraph()
        paragraph.style = style
        paragraph.add_run(text)
        first = False
    para(left, "―――――", "PS Cơ quan chủ quản")
    if doc.preview:
        right.paragraphs[0].style = "PS Cơ quan"
        right.paragraphs[0].add_run("TÀI LIỆU NỘI BỘ")
        para(right, "Không gửi Bộ Nội vụ", "PS Ngày tháng")
        return
    right.paragraphs[0].style = "PS Quốc hiệu"
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    para(right, "", "PS Tiêu ngữ", runs=[("Độc lập - Tự do - Hạnh phúc", "PS Gạch chân")])
    number, place = table.rows[1].cells
    number.paragraphs[0].style = "PS Số văn bản"
    number.paragraphs[0].add_run(doc.letter.number)
    place.paragraphs[0].style = "PS Ngày tháng"
    place.paragraphs[0].add_run(doc.letter.place_date)


def header_table(table, rows: list[list[HeaderCell]]) -> None:
    """Fill the first two rows of `table` with merged header cells (rowspan, colspan), repeated on every page."""
    grid: list[list[bool]] = [[False] * len(table.columns) for _ in rows]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while grid[r][c]:
                c += 1
            top = table.cell(r, c)
            bottom = table.cell(r + cell.rowspan - 1, c + cell.colspan - 1)
            merged = top.merge(bottom) if (cell.rowspan > 1 or cell.colspan > 1) else top
            cell_text(merged, cell.text, "PS Bảng tiêu đề")
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    grid[rr][cc] = True
            c += cell.colspan
    for row in table.rows[: len(rows)]:
        repeat_header(row)
        cant_split(row)


def points_row(cells, row: Row, columns: list[Column], lead: int, bold_levels=("area", "tc", "total")) -> None:
    run_style = "PS Nhấn" if row.level in bold_levels else None
    if row.level == "total":
        merged = cells[0].merge(cells[1])
        cell_text(merged, row.name, "PS Bảng", "PS Nhấn")
    else:
        cell_text(cells[0], row.code, "PS Bảng số", run_style)
        cell_text(cells[1], row.name, "PS Bảng", run_style)
    for index, column in enumerate(columns):
        text = row.cells.get(column.key, "").replace(" %", NBSP + "%")  # "100,00 %" never breaks before "%"
        cell_text(cells[lead + index], text, "PS Bảng số", run_style)


def areas_table(document, doc: ReportDocument) -> None:
    para(
        document,
        "Bảng 1. Điểm theo lĩnh vực" + (" trước và sau thẩm định" if doc.appraised else ""),
        "PS Chú thích bảng",
    )
    columns = doc.areas.columns
    table = document.add_table(rows=2 + len(doc.areas.rows), cols=2 + len(columns), style="Table Grid")
    numeric = min(17.0, (PORTRAIT_TEXT_MM - 9 - 40) / len(columns))
    widths(table, [9, PORTRAIT_TEXT_MM - 9 - numeric * len(columns), *([numeric] * len(columns))])
    header_table(table, header_rows(["TT", "Lĩnh vực"], columns))
    for offset, row in enumerate(doc.areas.rows):
        cells = table.rows[2 + offset].cells
        cant_split(table.rows[2 + offset])
        points_row(cells, row, columns, 2, ("total",))


def chart(document, doc: ReportDocument) -> None:
    """The bars as a borderless table: the area's name, a bar (shaded cells merged over as many of the plot's 50
    steps of 2 % as the percentage reaches), the value in a column of its own."""
    steps, plot = 50, 75.0
    table = document.add_table(rows=len(doc.bars), cols=steps + 2)
    no_borders(table)
    widths(table, [68, *([plot / steps] * steps), 22])
    _set(table._tbl.tblPr, "w:tblCellSpacing", **{"w:w": "20", "w:type": "dxa"})  # a thin gap between the bars
    for row, bar in zip(table.rows, doc.bars, strict=True):
        cant_split(row)
        cells = row.cells
        cell_text(cells[0], bar.label)
        cell_text(cells[-1], bar.value, "PS Bảng số")
        filled = round(float(bar.width) / 100 * steps)
        if filled:
            shade(cells[1].merge(cells[filled]) if filled > 1 else cells[1], "2F4F7F")
        if filled < steps:
            cells[filled + 1].merge(cells[steps])
    para(document, f"Biểu đồ: {doc.chart_title[:1].lower()}{doc.chart_title[1:]}", "PS Chú thích")


def explanations(document, doc: ReportDocument) -> None:
    if not doc.explanations:
        para(
            document, "Không có tiêu chí, tiêu chí thành phần nào thiếu tài liệu kiểm chứng hoặc chưa đạt điểm tối đa."
        )
        return
    intro = doc.explanations_intro
    para(document, intro)
    for group in doc.explanations:
        para(document, group.heading, "PS Nhóm")
        for item in group.items:
            para(document, item.heading, "PS Tiểu mục")
            para(document, item.score)
            for line in item.shortfall:
                para(document, line)
            if item.required:
                para(document, f"Tài liệu kiểm chứng cần có: {item.required}.")
            for line in item.appraisal:
                para(document, line)
            if item.text:
                for number, line in enumerate(item.text):
                    runs = [("Giải trình: ", "PS Nghiêng")] if number == 0 else []
                    para(document, "", runs=[*runs, (line, None)])
            else:
                para(
                    document,
                    "",
                    runs=[("Giải trình: ", "PS Nghiêng"), ("chưa có giải trình", "PS Nhấn nghiêng"), (".", None)],
                )


def bullets(document, items: list[list[str]]) -> None:
    if not items:
        para(document, "", runs=[("(chưa có nội dung)", "PS Nhấn nghiêng")])
    for item in items:
        for number, line in enumerate(item):
            para(document, f"- {line}" if number == 0 else line)


PLAN_COLUMNS = ["Mã", "Tiêu chí, tiêu chí thành phần", "Điểm hiện có", "Việc cần làm (★: thuộc phương án đạt mục tiêu)",
                "Thời hạn", "Điểm tăng"]  # fmt: skip
PLAN_WIDTHS = [12, 38, 14, 70, 19, 12]  # mm, 165 in all (the portrait text width)


def plan_section(document, doc: ReportDocument) -> None:
    """The internal preview's improvement plan: its summary, then one table of rows grouped by agency."""
    plan = doc.plan
    assert plan is not None
    para(document, "IV. KẾ HOẠCH KHẮC PHỤC, NÂNG ĐIỂM (TÀI LIỆU NỘI BỘ)", "PS Mục")
    for line in plan.summary:
        para(document, line)
    groups = plan.by_agency()
    if groups:
        table = document.add_table(rows=1, cols=len(PLAN_COLUMNS), style="Table Grid")
        widths(table, PLAN_WIDTHS)
        repeat_header(table.rows[0])
        for cell, title in zip(table.rows[0].cells, PLAN_COLUMNS, strict=True):
            cell_text(cell, title, "PS Bảng tiêu đề")
        for agency, rows in groups:
            group = table.add_row()
            cant_split(group)
            merged = group.cells[0].merge(group.cells[-1])
            cell_text(merged, agency, "PS Bảng nhóm", "PS Nhấn")
            shade(merged)
            for row in rows:
                line = table.add_row()
                cant_split(line)
                action = row.action + (" ★" if row.in_target else "")
                if row.kind != "việc cần làm":
                    action = f"{row.kind.capitalize()}: {action}"
                extra = [text for text in (row.co_agencies and f"Phối hợp: {row.co_agencies}", row.note) if text]
                texts = [row.code, row.name, row.points, "\n".join([action, *extra]), row.deadline, row.gain]
                for cell, text in zip(line.cells, texts, strict=True):
                    cell_text(cell, text)
        widths(table, PLAN_WIDTHS)
    if plan.survey:
        para(document, "Điều tra xã hội học — do Bộ Nội vụ đánh giá, tỉnh không tự chấm (chỉ để theo dõi):")
        for code, name, weight, known in plan.survey:
            para(document, f"- {code} {name}: trọng số {weight} điểm; số liệu gần nhất: {known}.")


def closing(document, doc: ReportDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    widths(table, [74, 91])
    cant_split(table.rows[0])
    recipients, signature = table.rows[0].cells
    cell_text(recipients, "Nơi nhận:", "PS Nơi nhận nhãn")
    for recipient in doc.letter.recipients:
        para(recipients, f"- {recipient}", "PS Nơi nhận")
    signer = doc.letter.signer
    lines = [line for line in (signer.authority, signer.delegation, signer.title) if line]
    cell_text(signature, lines[0] if lines else "", "PS Chữ ký")
    for line in lines[1:]:
        para(signature, line, "PS Chữ ký")
    for _ in range(5):
        para(signature, "", "PS Chữ ký")
    para(signature, doc.letter.signer_name, "PS Chữ ký")


def letter_body(document, doc: ReportDocument) -> None:
    letterhead(document, doc)
    para(document, doc.letter.kind_title, "PS Tên văn bản")
    para(document, doc.letter.summary, "PS Tiêu đề")
    para(document, "―――――――", "PS Đoạn văn giữa")
    if doc.preview:
        para(document, doc.preview_note, "PS Ngày tháng")
    else:
        para(document, f"Kính gửi: {doc.letter.recipient}.", "PS Đoạn văn giữa")
        para(document, doc.letter.opening)
    para(document, doc.section_one, "PS Mục")
    para(document, "1. Tổng điểm", "PS Tiểu mục")
    for sentence in (doc.totals.own, doc.totals.appraised, doc.totals.survey, doc.totals.index):
        if sentence:
            para(document, sentence)
    para(document, "2. Kết quả theo lĩnh vực", "PS Tiểu mục")
    areas_table(document, doc)
    chart(document, doc)
    para(document, "3. Tình trạng các tiêu chí, tiêu chí thành phần", "PS Tiểu mục")
    if doc.appraised:
        para(document, f"Theo kết quả tự đánh giá: {doc.counts}.")
        para(document, f"Sau thẩm định: {doc.final_counts}.")
        para(document, f"{doc.coverage}.")
    else:
        para(document, f"Số tiêu chí, tiêu chí thành phần theo tình trạng: {doc.counts}.")
    para(document, "Chi tiết điểm và tài liệu kiểm chứng của từng tiêu chí, tiêu chí thành phần tại Phụ lục kèm theo.")
    para(document, doc.section_two, "PS Mục")
    explanations(document, doc)
    if doc.appraised:
        if doc.letter.proposals:
            para(document, "III. KIẾN NGHỊ, ĐỀ XUẤT", "PS Mục")
            bullets(document, doc.letter.proposals)
    else:
        para(document, "III. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ", "PS Mục")
        para(document, "1. Khó khăn, vướng mắc", "PS Tiểu mục")
        bullets(document, doc.letter.difficulties)
        para(document, "2. Kiến nghị, đề xuất", "PS Tiểu mục")
        bullets(document, doc.letter.proposals)
    if doc.plan is not None:
        plan_section(document, doc)
    if not doc.preview:
        para(document, doc.closing_sentence)
        closing(document, doc)


# ---- the annex -----------------------------------------------------------------------------------------------------
def annex_body(document, doc: ReportDocument) -> None:
    para(document, doc.annex_label, "PS Tiêu đề")
    para(document, doc.annex_title, "PS Tiêu đề")
    if not doc.preview:
        para(document, doc.letter.reference, "PS Ngày tháng")
    para(document, "―――――――", "PS Đoạn văn giữa")
    columns = doc.annex.columns
    para(
        document,
        "Bảng tổng hợp điểm và tài liệu kiểm chứng theo lĩnh vực, tiêu chí, tiêu chí thành phần",
        "PS Chú thích bảng",
    )
    rows = doc.annex.rows
    table = document.add_table(rows=3 + len(rows), cols=4 + len(columns), style="Table Grid")
    docs_width = LANDSCAPE_TEXT_MM - 12 - 50 - 13 * len(columns) - 36
    widths(table, [12, 50, *([13] * len(columns)), docs_width, 36])
    header_table(
        table,
        header_rows(
            ["Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần"],
            columns,
            ["Tài liệu kiểm chứng (số thứ tự trong Danh mục; vị trí)", "Ghi chú"],
        ),
    )
    numbers = table.rows[2]
    repeat_header(numbers)
    for index, cell in enumerate(numbers.cells):
        cell_text(cell, f"({index + 1})", "PS Bảng số", "PS Nghiêng")
    for offset, row in enumerate(rows):
        table_row = table.rows[3 + offset]
        cant_split(table_row)
        cells = table_row.cells
        points_row(cells, row, columns, 2)
        evidence = cells[2 + len(columns)]
        cell_text(evidence, "; ".join(row.citations) if row.citations else row.no_documents)
        if row.reason:
            para(evidence, "", "PS Bảng", runs=[(row.reason, "PS Nghiêng")])
        notes = cells[3 + len(columns)]
        for number, note in enumerate(row.notes):
            if number == 0:
                cell_text(notes, note)
            else:
                para(notes, note, "PS Bảng")
        if row.level in ("area", "total"):
            for cell in cells:
                shade(cell)
        if row.children and row.level != "total":  # an area or TC heading travels with its first child
            for cell in cells:
                for paragraph in cell.paragraphs:
                    paragraph.style = KEEP_WITH_NEXT.get(paragraph.style.name, paragraph.style.name)
    for note in doc.notes:
        para(document, note, "PS Chú thích")
    register(document, doc)


def register(document, doc: ReportDocument) -> None:
    entries = doc.register.entries
    if not entries:
        return
    para(document, "", "PS Chú thích")
    para(document, "DANH MỤC TÀI LIỆU KIỂM CHỨNG", "PS Tiêu đề")
    files = doc.register.has_files
    heads = ["Số TT", "Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Trích yếu nội dung"]
    sizes = [13, 30, 20, 50]
    if files:
        heads += ["Tệp đính kèm", "SHA-256 (12 ký tự đầu)"]
        sizes = [*sizes, LANDSCAPE_TEXT_MM - sum(sizes) - 36 - 26, 36, 26]
    else:
        sizes = [*sizes, LANDSCAPE_TEXT_MM - sum(sizes)]
    table = document.add_table(rows=1 + len(entries), cols=len(heads), style="Table Grid")
    widths(table, sizes)
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell_text(cell, text, "PS Bảng tiêu đề")
    repeat_header(table.rows[0])
    for row, entry in zip(table.rows[1:], entries, strict=True):
        cant_split(row)
        values = [entry.code, entry.number, entry.date, entry.issuer, entry.title]
        if files:
            values += [entry.file or "—", entry.sha256 or "—"]
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell_text(cell, text, "PS Bảng số" if index in (0, 2) else "PS Bảng", "PS Nhấn" if index == 0 else None)


def render_docx(doc: ReportDocument) -> bytes:
    """The report as DOCX bytes (deterministic: fixed core properties, no timestamps of the moment)."""
    document = Document()
    define_styles(document)
    first = document.sections[0]
    setup_section(first, landscape=False, stamp=doc.stamp, restart=False)
    letter_body(document, doc)
    annex_section = document.add_section(WD_SECTION.NEW_PAGE)
    setup_section(annex_section, landscape=True, stamp=doc.stamp, restart=True)
    annex_body(document, doc)
    # python-docx starts from a template holding one empty paragraph: it would open the letter with a blank line.
    body = document.element.body
    first_paragraph = body.find(qn("w:p"))
    if first_paragraph is not None and not "".join(first_paragraph.itertext()).strip():
        body.remove(first_paragraph)
    properties = document.core_properties
    properties.title = doc.title
    properties.author = doc.letter.author
    properties.subject = doc.letter.summary
    properties.keywords = doc.metadata.get("keywords", "")
    properties.comments = "par-score"
    properties.last_modified_by = "par-score"
    properties.revision = 1
    fixed = dt.datetime(2000, 1, 1)
    properties.created = fixed
    properties.modified = fixed
    out = io.BytesIO()
    document.save(out)
    return _deterministic_zip(out.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """The same DOCX bytes for the same document: entries rewritten in order with a fixed timestamp."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
