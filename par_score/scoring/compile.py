"""Catalogue → rules: each leaf's bands, the state bands every leaf has and then its scale kind's value bands; the
same for the catalogue's bonus and deduction items.

Both the durable-rules adapter and the pure evaluator read these bands, so they decide from the same declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.catalogue.index import BONUS, ItemEntry
from par_score.rules.bands import FULL_POINTS, NO_POINTS, ZERO_POINTS, Band
from par_score.rules.conditions import in_state
from par_score.scales import kind_of
from par_score.vocabulary import LeafState, NotApplicablePolicy, Source, Status


@dataclass(frozen=True)
class LeafRules:
    entry: LeafEntry | ItemEntry
    bands: tuple[Band, ...]
    variables: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.entry.code

    @property
    def maximum(self) -> Decimal:
        return self.entry.maximum

    @cached_property
    def value_bands(self) -> tuple[Band, ...]:
        """The bands that score from a value, best first."""
        return tuple(b for b in self.bands if b.is_value_band)


def _state_band(code: str, key: str, label: str, status: Status, state: LeafState, points) -> Band:
    return Band(code, key, label, status, (in_state(state),), points)


def state_bands(entry: LeafEntry, *, profiles: bool = False) -> list[Band]:
    """The bands of a leaf without a value: waiting for the survey or the statistics, missing evidence, declared not
    achieved (a document leaf), not applicable, out of scope, not for the unit's profile."""
    leaf, code = entry.leaf, entry.code
    bands: list[Band] = []
    if leaf.source == Source.SURVEY:
        waiting = f"Chờ {leaf.supplied_by} cung cấp" if leaf.supplied_by else "Chờ Bộ Nội vụ đánh giá"
        bands.append(
            _state_band(
                code,
                "cho-bnv",
                f"{waiting} (điều tra xã hội học)",
                Status.SURVEY_PENDING,
                LeafState.SURVEY_PENDING,
                NO_POINTS,
            )
        )
    else:
        if leaf.source == Source.STATISTICS:
            bands.append(
                _state_band(
                    code,
                    "cho-so-lieu",
                    f"Chờ số liệu thống kê do {leaf.supplied_by} cung cấp",
                    Status.STATISTICS_PENDING,
                    LeafState.STATISTICS_PENDING,
                    NO_POINTS,
                )
            )
        else:
            bands.append(
                _state_band(
                    code,
                    "thieu-tlkc",
                    "Không có tài liệu kiểm chứng: 0 điểm, cần giải trình",
                    Status.MISSING_EVIDENCE,
                    LeafState.MISSING,
                    ZERO_POINTS,
                )
            )
            if entry.uses[0].part is None and entry.input_key[0] == "document":
                bands.append(
                    _state_band(
                        code,
                        "khai-bao-khong-dat",
                        "Khai báo không đạt (văn bản không ban hành, báo cáo không gửi): 0 điểm, không phải thiếu "
                        "tài liệu kiểm chứng",
                        Status.NOT_ACHIEVED,
                        LeafState.NOT_ACHIEVED,
                        ZERO_POINTS,
                    )
                )
        if leaf.not_applicable == NotApplicablePolicy.FULL:
            bands.append(
                _state_band(
                    code,
                    "khong-phat-sinh",
                    "Không phát sinh: đạt điểm tối đa",
                    Status.NOT_APPLICABLE_FULL,
                    LeafState.NOT_APPLICABLE,
                    FULL_POINTS,
                )
            )
        elif leaf.not_applicable == NotApplicablePolicy.EXCLUDE:
            bands.append(
                _state_band(
                    code,
                    "khong-phat-sinh",
                    "Không phát sinh: không tính vào điểm tối đa",
                    Status.NOT_APPLICABLE_EXCLUDED,
                    LeafState.NOT_APPLICABLE,
                    NO_POINTS,
                )
            )
    bands.append(_out_of_scope(code))
    if profiles:
        bands.append(_not_for_profile(code))
    return bands


def _out_of_scope(code: str) -> Band:
    return _state_band(
        code,
        "ngoai-pham-vi",
        "Ngoài phạm vi xem trước của cơ quan",
        Status.OUT_OF_SCOPE,
        LeafState.OUT_OF_SCOPE,
        NO_POINTS,
    )


def _not_for_profile(code: str) -> Band:
    return _state_band(
        code,
        "khong-ap-dung",
        "Không áp dụng đối với loại đơn vị: không tính vào điểm tối đa",
        Status.NOT_FOR_PROFILE,
        LeafState.NOT_FOR_PROFILE,
        NO_POINTS,
    )


def compile_leaf(entry: LeafEntry, year: int, *, profiles: bool = False) -> LeafRules:
    leaf = entry.leaf
    kind = kind_of(leaf.scale)
    bands = [*state_bands(entry, profiles=profiles), *kind.value_bands(leaf.code, leaf.max, leaf.scale, year)]
    return LeafRules(entry=entry, bands=tuple(bands), variables=kind.variables_of(leaf.scale))


def compile_item(entry: ItemEntry, year: int, *, profiles: bool = False) -> LeafRules:
    """A bonus or deduction item: no evidence means no claim (bonus) or no finding (deduction), never a shortfall."""
    if entry.role == BONUS:
        missing = _state_band(
            entry.code,
            "khong-de-nghi",
            "Không đề nghị điểm thưởng: 0 điểm",
            Status.BONUS_NOT_CLAIMED,
            LeafState.MISSING,
            ZERO_POINTS,
        )
    else:
        missing = _state_band(
            entry.code,
            "khong-co-so-lieu",
            "Chưa có số liệu điểm trừ: không trừ điểm",
            Status.NO_DEDUCTION,
            LeafState.MISSING,
            ZERO_POINTS,
        )
    bands = [missing, _out_of_scope(entry.code)]
    if profiles:
        bands.append(_not_for_profile(entry.code))
    kind = kind_of(entry.scale)
    bands += kind.value_bands(entry.code, entry.maximum, entry.scale, year)
    return LeafRules(entry=entry, bands=tuple(bands), variables=kind.variables_of(entry.scale))


def compile_catalogue(index: CatalogueIndex) -> list[LeafRules]:
    profiles = bool(index.catalogue.profiles)
    return [compile_leaf(entry, index.year, profiles=profiles) for entry in index.leaves]


def compile_items(index: CatalogueIndex) -> list[LeafRules]:
    profiles = bool(index.catalogue.profiles)
    return [compile_item(entry, index.year, profiles=profiles) for entry in index.items]
