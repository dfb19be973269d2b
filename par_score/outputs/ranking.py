"""The ranking of a batch: one row per unit, ranked by percentage, as a terminal table and as xep-hang.json.

A catalogue that declares ratings or ranking clusters (a province's own index of its sở or xã) is ranked the way the
province publishes it: within each cluster (khối) by the index rounded to the declared precision, tied units sharing
a rank (1, 2, 2, 4), each unit rated by the named band its index falls in; units without a final index are listed
after the ranked ones, unranked ("chưa đủ số liệu").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from par_score.catalogue import CatalogueIndex
from par_score.numbers import plain, round_half_up, vn, vn_percent
from par_score.outputs.terminal.columns import fit, right, width
from par_score.outputs.terminal.safe import terminal_safe
from par_score.rules.conditions import Condition
from par_score.scoring.result import ScoreResult

RANKING_FORMAT = "par-score/ranking@1"
CLUSTER_RANKING_FORMAT = "par-score/cluster-ranking@1"
NOT_RANKED = "chưa đủ số liệu"


@dataclass(frozen=True)
class RankRow:
    unit_code: str
    unit_name: str
    source: str
    self_points: Decimal
    self_max: Decimal
    self_pct: Decimal | None
    index_points: Decimal | None
    index_max: Decimal | None
    index_pct: Decimal | None
    index_estimated: bool
    profile: str | None = None
    cluster: str | None = None
    bonus: Decimal | None = None
    deducted: Decimal | None = None
    index_pct_without_bonus: Decimal | None = None

    @classmethod
    def of(cls, result: ScoreResult, source: str) -> RankRow:
        t = result.totals
        return cls(
            profile=result.unit.profile,
            cluster=result.unit.cluster,
            bonus=t.bonus,
            deducted=t.deducted,
            index_pct_without_bonus=t.index_pct_without_bonus,
            unit_code=result.unit.code,
            unit_name=result.unit.name,
            source=source,
            self_points=t.self_.points,
            self_max=t.self_.max,
            self_pct=t.self_pct,
            index_points=t.index_points,
            index_max=t.index_max,
            index_pct=t.index_pct,
            index_estimated=t.index_estimated,
        )


def ranked(rows: list[RankRow]) -> tuple[str, list[tuple[int, RankRow]]]:
    """Rows in rank order with their rank (equal percentages share a rank: 1, 2, 2, 4) and what was ranked on.

    The index percentage ranks when every unit has one (survey values for all); otherwise the self-assessed
    percentage of the applicable self-scored maximum, which compares units with different "không phát sinh".
    """
    on_index = bool(rows) and all(r.index_pct is not None for r in rows)
    basis = "index" if on_index else "self"

    def key(row: RankRow) -> Decimal | None:
        return row.index_pct if on_index else row.self_pct

    ordered = sorted(rows, key=lambda r: (key(r) is None, -(key(r) or Decimal(0)), r.unit_code))
    result: list[tuple[int, RankRow]] = []
    for position, row in enumerate(ordered, start=1):
        if result and key(result[-1][1]) == key(row):
            result.append((result[-1][0], row))
        else:
            result.append((position, row))
    return basis, result


def _cell(text: str, columns: int, align_right: bool = False) -> str:
    return right(text, columns) if align_right else fit(text, columns)


@terminal_safe
def ranking_table(basis: str, rows: list[tuple[int, RankRow]]) -> str:
    show_index = any(r.index_pct is not None for _, r in rows)
    header = f"{_cell('Hạng', 5)}{_cell('Đơn vị', 40)}{_cell('Tự đánh giá', 16, True)}{_cell('Tỷ lệ', 11, True)}"
    if show_index:
        header += _cell("Chỉ số CCHC", 24, True)
    lines = [
        f"Xếp hạng {len(rows)} đơn vị theo "
        + ("Chỉ số CCHC (ước tính)" if basis == "index" else "tỷ lệ điểm tự đánh giá trên điểm tối đa áp dụng")
        + ":",
        "",
        header,
        "─" * width(header),
    ]
    for rank, row in rows:
        line = (
            f"{_cell(str(rank), 5)}{_cell(f'{row.unit_name} ({row.unit_code})', 40)}"
            f"{_cell(f'{vn(row.self_points)} / {vn(row.self_max)}', 16, True)}"
            f"{_cell(vn_percent(row.self_pct), 11, True)}"
        )
        if show_index:
            index = (
                "chờ BNV"
                if row.index_pct is None
                else f"{vn(row.index_points)}/{vn(row.index_max)} = {vn_percent(row.index_pct)}"
            )
            line += _cell(index + (" *" if row.index_estimated and row.index_pct is not None else ""), 24, True)
        lines.append(line)
    if show_index and any(r.index_estimated and r.index_pct is not None for _, r in rows):
        lines.append("")
        lines.append("* ước tính từ số liệu điều tra xem trước, không phải kết quả chính thức của Bộ Nội vụ.")
    return "\n".join(lines)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def ranking_json(basis: str, rows: list[tuple[int, RankRow]], *, catalogue: str, year: int, result_file: str) -> str:
    data = {
        "format": RANKING_FORMAT,
        "catalogue": catalogue,
        "year": year,
        "ranked_by": "index_pct" if basis == "index" else "self_pct",
        "units": [
            {
                "rank": rank,
                "unit": {"code": r.unit_code, "name": r.unit_name},
                "source": r.source,
                "result": f"{r.unit_code}/{result_file}",
                "self_points": _number(r.self_points),
                "self_max": _number(r.self_max),
                "self_pct": _number(r.self_pct),
                "index_points": _number(r.index_points),
                "index_max": _number(r.index_max),
                "index_pct": _number(r.index_pct),
                "index_estimated": r.index_estimated,
            }
            for rank, r in rows
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---- ratings and cluster rankings (a province's own index) --------------------------------------------------------
@dataclass(frozen=True)
class Rating:
    id: str
    name: str


def rating_of(index_pct: Decimal | None, index: CatalogueIndex) -> Rating | None:
    """The named band of the catalogue's ratings the index falls in (bands tried top-down), None without an index."""
    ratings = index.catalogue.ratings
    if index_pct is None or ratings is None:
        return None
    for band in ratings.bands:
        if Condition("index", band.operator, band.threshold).holds("value", {"index": index_pct}):
            return Rating(band.id, band.name)
    return None


def ranks_by_clusters(index: CatalogueIndex) -> bool:
    """Whether batches of this catalogue are ranked the way a province publishes its own index."""
    catalogue = index.catalogue
    return bool(catalogue.clusters or catalogue.ratings)


@dataclass(frozen=True)
class Standing:
    rank: int | None  # None: no final index yet
    row: RankRow
    rating: Rating | None
    compared: Decimal | None  # the index as compared (rounded to the ranking's precision)


@dataclass
class ClusterRanking:
    id: str
    name: str
    standings: list[Standing] = field(default_factory=list)

    @property
    def estimated(self) -> bool:
        """A preview: some ranked unit's index is estimated from preview survey figures."""
        return any(s.rank is not None and s.row.index_estimated for s in self.standings)


@dataclass
class Publication:
    """Everything a province publishes for one catalogue: its rankings per cluster (and overall, when declared)."""

    catalogue: str
    title: str
    year: int
    unit_level: str
    precision: int
    clusters: list[ClusterRanking]
    overall: ClusterRanking | None = None
    kind: str = "reference"  # the catalogue's kind: a reference table or an official one
    profile_names: dict[str, str] = field(default_factory=dict)


def rank(rows: list[RankRow], index: CatalogueIndex, *, id: str, name: str) -> ClusterRanking:
    """Rows ranked by the index (rounded to the declared precision), ties sharing a rank; the rest unranked."""
    ranking = index.catalogue.ranking
    precision = ranking.precision if ranking is not None else 2
    quantum = Decimal(1).scaleb(-precision)

    def compared(row: RankRow) -> Decimal | None:
        return None if row.index_pct is None else round_half_up(row.index_pct, quantum)

    ranked_rows = sorted((r for r in rows if r.index_pct is not None), key=lambda r: (-compared(r), r.unit_code))
    standings = []
    for position, row in enumerate(ranked_rows, start=1):
        value = compared(row)
        if standings and standings[-1].compared == value:
            place = standings[-1].rank
        else:
            place = position
        standings.append(Standing(place, row, rating_of(row.index_pct, index), value))
    for row in sorted((r for r in rows if r.index_pct is None), key=lambda r: r.unit_code):
        standings.append(Standing(None, row, None, None))
    return ClusterRanking(id, name, standings)


def publication(rows: list[RankRow], index: CatalogueIndex) -> Publication:
    catalogue = index.catalogue
    clusters = catalogue.clusters or []
    if clusters:
        rankings = [rank([r for r in rows if r.cluster == c.id], index, id=c.id, name=c.name) for c in clusters]
    else:
        rankings = [rank(rows, index, id="tat-ca", name="Tất cả các đơn vị")]
    overall = None
    if clusters and catalogue.ranking is not None and catalogue.ranking.overall:
        overall = rank(rows, index, id="chung", name="Bảng xếp hạng chung")
    precision = catalogue.ranking.precision if catalogue.ranking is not None else 2
    return Publication(
        catalogue.id,
        catalogue.title,
        catalogue.evaluation_year,
        catalogue.unit_level,
        precision,
        rankings,
        overall,
        catalogue.kind,
        {p.id: p.name for p in catalogue.profiles or []},
    )


def _standing_data(standing: Standing, result_file: str) -> dict:
    r = standing.row
    return {
        "rank": standing.rank,
        "unit": {"code": r.unit_code, "name": r.unit_name},
        "profile": r.profile,
        "source": r.source,
        "result": f"{r.unit_code}/{result_file}",
        "index_points": _number(r.index_points),
        "index_max": _number(r.index_max),
        "deducted": _number(r.deducted),
        "bonus": _number(r.bonus),
        "index_pct_without_bonus": _number(r.index_pct_without_bonus),
        "index_pct": _number(r.index_pct),
        "compared": _number(standing.compared),
        "index_estimated": r.index_estimated,
        "rating": None if standing.rating is None else {"id": standing.rating.id, "name": standing.rating.name},
        "status": "ranked" if standing.rank is not None else "not_ranked",
    }


def _cluster_data(cluster: ClusterRanking, result_file: str) -> dict:
    return {
        "id": cluster.id,
        "name": cluster.name,
        "estimated": cluster.estimated,
        "units": [_standing_data(s, result_file) for s in cluster.standings],
    }


def publication_data(pub: Publication, *, result_file: str, folder: str = "") -> dict:
    prefix = f"{folder}/" if folder else ""
    data = {
        "catalogue": pub.catalogue,
        "year": pub.year,
        "ranked_by": "index_pct",
        "precision": pub.precision,
        "ties": "shared",
        "clusters": [_cluster_data(c, prefix + result_file) for c in pub.clusters],
    }
    if pub.overall is not None:
        data["overall"] = _cluster_data(pub.overall, prefix + result_file)
    return data


def cluster_ranking_json(publications: list[tuple[Publication, str]], *, result_file: str) -> str:
    """xep-hang.json of a province's own index: one entry per catalogue (sở; xã, phường, đặc khu), its clusters."""
    data = {
        "format": CLUSTER_RANKING_FORMAT,
        "indexes": [publication_data(pub, result_file=result_file, folder=folder) for pub, folder in publications],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def standings_table(pub: Publication) -> str:
    """The cluster rankings as a terminal table."""
    lines = [f"Xếp hạng Chỉ số CCHC năm {pub.year} — {pub.title}", ""]
    header = (
        f"{_cell('Hạng', 6)}{_cell('Đơn vị', 40)}{_cell('Điểm tối đa', 13, True)}{_cell('Chỉ số', 17, True)}"
        f"  {_cell('Xếp loại', 12)}"
    )
    for cluster in [*pub.clusters, *([pub.overall] if pub.overall else [])]:
        title = cluster.name + (" (ước tính từ số liệu điều tra xem trước)" if cluster.estimated else "")
        lines += [f"{title}:", header, "─" * width(header)]
        for s in cluster.standings:
            r = s.row
            place = str(s.rank) if s.rank is not None else "—"
            shown = vn_percent(r.index_pct) if r.index_pct is not None else NOT_RANKED
            rating = s.rating.name if s.rating else ""
            lines.append(
                f"{_cell(place, 6)}{_cell(r.unit_name, 40)}{_cell(vn(r.index_max) if r.index_max else '—', 13, True)}"
                f"{_cell(shown, 17, True)}  {_cell(rating, 12)}"
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n")
