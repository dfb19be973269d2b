"""Catalogue → rules: each leaf's bands, the state bands every leaf has and then its scale kind's value bands.

Both the durable-rules adapter and the pure evaluator read these bands, so they decide from the same declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from par_score.catalogue import CatalogueIndex, LeafEntry
from par_score.rules.bands import FULL_POINTS, NO_POINTS, ZERO_POINTS, Band
from par_score.rules.conditions import in_state
from par_score.scales import kind_of
from par_score.vocabulary import LeafState, NotApplicablePolicy, Source, Status


@dataclass(frozen=True)
class LeafRules:
    entry: LeafEntry
    bands: tuple[Band, ...]
    variables: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.entry.code

    @cached_property
    def value_bands(self) -> tuple[Band, ...]:
        """The bands that score from a value, best first."""
        return tuple(b for b in self.bands if b.is_value_band)


def _state_band(code: str, key: str, label: str, status: Status, state: LeafState, points) -> Band:
    return Band(code, key, label, status, (in_state(state),), points)


def state_bands(entry: LeafEntry) -> list[Band]:
    """The bands of a leaf without a value: waiting for the survey, missing evidence, not applicable, out of scope."""
    leaf, code = entry.leaf, entry.code
    bands: list[Band] = []
    if leaf.source == Source.SURVEY:
        bands.append(
            _state_band(
                code,
                "cho-bnv",
                "Chờ Bộ Nội vụ đánh giá (điều tra xã hội học)",
                Status.SURVEY_PENDING,
                LeafState.SURVEY_PENDING,
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
    bands.append(
        _state_band(
            code,
            "ngoai-pham-vi",
            "Ngoài phạm vi xem trước của cơ quan",
            Status.OUT_OF_SCOPE,
            LeafState.OUT_OF_SCOPE,
            NO_POINTS,
        )
    )
    return bands


def compile_leaf(entry: LeafEntry, year: int) -> LeafRules:
    leaf = entry.leaf
    kind = kind_of(leaf.scale)
    bands = [*state_bands(entry), *kind.value_bands(leaf.code, leaf.max, leaf.scale, year)]
    return LeafRules(entry=entry, bands=tuple(bands), variables=kind.variables)


def compile_catalogue(index: CatalogueIndex) -> list[LeafRules]:
    return [compile_leaf(entry, index.year) for entry in index.leaves]
