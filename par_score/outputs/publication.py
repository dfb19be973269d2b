"""The Quyết định công bố Chỉ số CCHC a province issues for its own indexes (sở, ban, ngành; xã, phường, đặc khu),
with one annex (phụ lục) per index: the rankings per cluster, as HTML and PDF in the NĐ 30/2020 layout.

Every figure comes from the rankings (par_score.outputs.ranking), which come from the results; the template only
places preformatted text (autoescape on). Its own template files: reports/quyet-dinh-cong-bo.html.j2 and .css.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from par_score.evidence.model import DecisionInfo, PublicationHeader, Signer
from par_score.numbers import vn, vn_percent
from par_score.outputs.ranking import NOT_RANKED, ClusterRanking, Publication
from par_score.outputs.report.formatting import DOTS, lower_first, short_date, vn_date
from par_score.outputs.report.render import render_template

TEMPLATE = "quyet-dinh-cong-bo.html.j2"
STYLESHEET = "quyet-dinh-cong-bo.css"
HTML_FILE = "quyet-dinh-cong-bo.html"
PDF_FILE = "quyet-dinh-cong-bo.pdf"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")

SUBJECTS = {
    "so": "các sở, ban, ngành tỉnh",
    "xa": "Ủy ban nhân dân các xã, phường, đặc khu",
    "huyen": "Ủy ban nhân dân các huyện, thị xã, thành phố",
    "tinh": "tỉnh",
}
HEADS = {
    "so": "Thủ trưởng các sở, ban, ngành tỉnh",
    "xa": "Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu",
    "huyen": "Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố",
}
DEFAULT_BASIS = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình tổng thể cải cách "
    "hành chính nhà nước giai đoạn 2021 - 2030;",
]


@dataclass(frozen=True)
class Row:
    rank: str
    unit: str
    profile: str
    maximum: str
    points: str
    deducted: str
    bonus: str
    index: str
    rating: str


@dataclass(frozen=True)
class ClusterView:
    heading: str
    rows: list[Row]


@dataclass(frozen=True)
class Annex:
    label: str  # "Phụ lục I"
    title: str
    reference: str  # "(Kèm theo Quyết định số … ngày … của Ủy ban nhân dân tỉnh …)"
    clusters: list[ClusterView]
    notes: list[str]


@dataclass(frozen=True)
class Decision:
    issuing_body: list[str]
    number: str
    place_date: str
    summary: str
    authority: str
    basis: list[str]
    proposal: str
    articles: list[tuple[str, str]]
    signer: Signer
    signer_name: str
    recipients: list[str]
    annexes: list[Annex] = field(default_factory=list)


def _place(province: str) -> str:
    for prefix in ("Tỉnh ", "Thành phố "):
        if province.startswith(prefix):
            return province[len(prefix) :]
    return province


def _row(standing, pub: Publication) -> Row:
    r = standing.row
    index = vn_percent(r.index_pct) if r.index_pct is not None else NOT_RANKED
    if r.index_estimated and r.index_pct is not None:
        index += " (ước tính)"
    return Row(
        rank=str(standing.rank) if standing.rank is not None else "—",
        unit=r.unit_name,
        profile=pub.profile_names.get(r.profile or "", ""),
        maximum=vn(r.index_max) if r.index_max is not None else "—",
        points=vn(r.index_points) if r.index_points is not None else "—",
        deducted=vn(r.deducted) if r.deducted else "",
        bonus=vn(r.bonus) if r.bonus else "",
        index=index,
        rating=standing.rating.name if standing.rating else "",
    )


def _cluster_view(n: int, cluster: ClusterRanking, pub: Publication) -> ClusterView:
    heading = f"{ROMAN[n] if n < len(ROMAN) else n + 1}. {cluster.name}"
    if cluster.estimated:
        heading += " (ước tính từ số liệu điều tra xem trước)"
    return ClusterView(heading, [_row(s, pub) for s in cluster.standings])


def _notes(pub: Publication) -> list[str]:
    clusters = [*pub.clusters, *([pub.overall] if pub.overall else [])]
    standings = [s for c in clusters for s in c.standings]
    notes = [
        f"Xếp hạng trong từng khối theo Chỉ số giảm dần; các đơn vị có Chỉ số bằng nhau (làm tròn đến "
        f"{pub.precision} chữ số thập phân) được xếp đồng hạng, hạng kế tiếp bỏ qua.",
        "Điểm tối đa là điểm tối đa áp dụng của từng đơn vị: theo loại đơn vị, không gồm tiêu chí không phát sinh "
        "được loại khỏi điểm tối đa. Điểm đạt đã trừ điểm trừ.",
    ]
    if any(s.row.index_pct is not None and s.row.index_pct > 100 for s in standings):
        notes.append("Chỉ số vượt 100 % do điểm thưởng.")
    if any(s.rank is None for s in standings):
        notes.append(f"“{NOT_RANKED}”: đơn vị chưa có đủ kết quả khảo sát hoặc số liệu thống kê, chưa xếp hạng.")
    if pub.kind == "reference":
        notes.append(
            f"Chỉ số được xác định theo danh mục tham chiếu “{pub.catalogue}” của par-score, không phải Bộ chỉ số "
            "do Ủy ban nhân dân tỉnh ban hành."
        )
    return notes


def decision_view(publications: list[Publication], header: PublicationHeader) -> Decision:
    info: DecisionInfo = header.decision
    year = header.year or publications[0].year
    province = header.province
    authority = f"Ủy ban nhân dân {lower_first(province)}"
    number = info.number.strip() or f"{DOTS}/QĐ-UBND"
    number = number if "/" in number else f"{number}/QĐ-UBND"
    subjects = " và ".join(SUBJECTS.get(pub.unit_level, pub.title) for pub in publications)
    labels = [f"Phụ lục {ROMAN[n]}" for n in range(len(publications))]
    reference = f"(Kèm theo Quyết định số {number} ngày {short_date(info.date)} của {authority})"
    annexes = [
        Annex(
            label=label,
            title=f"CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA {SUBJECTS.get(pub.unit_level, pub.title).upper()}",
            reference=reference,
            clusters=[
                _cluster_view(n, cluster, pub)
                for n, cluster in enumerate([*pub.clusters, *([pub.overall] if pub.overall else [])])
            ],
            notes=_notes(pub),
        )
        for label, pub in zip(labels, publications, strict=True)
    ]
    heads = ", ".join(HEADS[pub.unit_level] for pub in publications if pub.unit_level in HEADS)
    articles = [
        (
            "Điều 1.",
            f"Công bố Chỉ số cải cách hành chính năm {year} của {subjects} trên địa bàn {lower_first(province)} "
            f"(chi tiết tại {', '.join(labels)} kèm theo).",
        ),
        (
            "Điều 2.",
            f"Các cơ quan, đơn vị căn cứ kết quả Chỉ số cải cách hành chính năm {year} được công bố, xây dựng và "
            "thực hiện kế hoạch khắc phục những tồn tại, hạn chế; Sở Nội vụ đăng tải kết quả trên Cổng Thông tin điện "
            "tử tỉnh, theo dõi, đôn đốc việc khắc phục và tổng hợp, báo cáo Ủy ban nhân dân tỉnh.",
        ),
        (
            "Điều 3.",
            "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, "
            + (f"{heads} " if heads else "")
            + "và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
        ),
    ]
    issuing = info.issuing_body.strip()
    return Decision(
        issuing_body=[line for line in issuing.splitlines() if line.strip()] or ["ỦY BAN NHÂN DÂN", province.upper()],
        number=f"Số: {number}",
        place_date=f"{info.place.strip() or _place(province)}, {vn_date(info.date)}",
        summary=f"Công bố Chỉ số cải cách hành chính năm {year} của {subjects} trên địa bàn {lower_first(province)}",
        authority=authority.upper(),
        basis=[*(info.basis or DEFAULT_BASIS)],
        proposal=info.proposal.strip()
        or f"Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số {DOTS}/TTr-SNV ngày {DOTS}.",
        articles=articles,
        signer=info.signer,
        signer_name=info.signer.name.strip() or DOTS,
        recipients=[r.strip() for r in info.recipients if r.strip()]
        or ["Như Điều 3;", "Bộ Nội vụ;", "TT. Tỉnh ủy, TT. HĐND tỉnh;", "CT, các PCT UBND tỉnh;", "Lưu: VT, SNV."],
        annexes=annexes,
    )


def render_decision_html(publications: list[Publication], header: PublicationHeader) -> str:
    return render_template(TEMPLATE, STYLESHEET, decision=decision_view(publications, header))
