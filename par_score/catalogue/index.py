"""Lookups over a validated catalogue: leaves in order, by code, the inputs they read (by indicator, statistic, survey
item, topic), bonus and deduction items, unit profiles and clusters."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from par_score.catalogue.model import (
    Area,
    BonusItem,
    Catalogue,
    Criterion,
    DeductionItem,
    Leaf,
    Profile,
)
from par_score.scales import KINDS, ScaleKind, kind_of
from par_score.vocabulary import NotApplicablePolicy, Source

BONUS = "bonus"
DEDUCTION = "deduction"


@dataclass(frozen=True)
class InputUse:
    """One input a scored item reads: a leaf's own input, one part of a composite leaf, or a bonus/deduction item's
    input — with the kind (and declaration) that reads, checks and synthesizes its figure."""

    owner: LeafEntry | ItemEntry
    given: Any  # DocumentInput | IndicatorInput | StatisticInput | SurveyInput
    kind: ScaleKind
    scale: Any
    part: str | None = None  # the part of a composite leaf

    @property
    def key(self) -> tuple[str, str]:
        """(the evidence section it is looked up in: "document" | "indicator" | "statistic" | "survey", its key)."""
        return (self.given.kind, self.given.key)

    @property
    def code(self) -> str:
        return self.owner.code


def _uses(owner: LeafEntry | ItemEntry, given: Any, scale: Any) -> tuple[InputUse, ...]:
    kind = kind_of(scale)
    parts = kind.parts(scale)
    if parts is None:
        return (InputUse(owner, given, kind, scale),)
    return tuple(InputUse(owner, part.input, part.kind, part.scale, part.id) for part in parts)


@dataclass(frozen=True)
class LeafEntry:
    leaf: Leaf
    area: Area
    criterion: Criterion
    agency: str
    co_agencies: tuple[str, ...] = ()  # phối hợp: share the criterion with the lead agency

    @property
    def agencies(self) -> tuple[str, ...]:
        """The lead agency, then the co-responsible ones."""
        return (self.agency, *self.co_agencies)

    @property
    def code(self) -> str:
        return self.leaf.code

    @property
    def maximum(self) -> Decimal:
        return self.leaf.max

    @property
    def source(self) -> Source:
        return self.leaf.source

    @property
    def scale(self) -> Any:
        return self.leaf.scale

    @property
    def not_applicable(self) -> NotApplicablePolicy:
        return self.leaf.not_applicable

    @cached_property
    def uses(self) -> tuple[InputUse, ...]:
        return _uses(self, self.leaf.input, self.leaf.scale)

    @property
    def input_key(self) -> tuple[str, str]:
        """(what the leaf reads first: "document" | "indicator" | "statistic" | "survey", its key)."""
        return self.uses[0].key


@dataclass(frozen=True)
class ItemEntry:
    """A bonus item (điểm thưởng) or a deduction item (điểm trừ): scored from its input like a leaf, outside the tree.

    A deduction item is read as a count: `maximum` is its cap and its points the amount it asks to deduct."""

    role: str  # BONUS | DEDUCTION
    code: str
    name: str
    maximum: Decimal
    source: Source
    given: Any
    scale: Any
    applies_to: str  # "total", or the area/TC code a deduction lowers
    supplied_by: str | None
    required_evidence: str

    not_applicable = NotApplicablePolicy.NONE

    @classmethod
    def bonus(cls, item: BonusItem) -> ItemEntry:
        return cls(
            BONUS,
            item.code,
            item.name,
            item.max,
            item.source,
            item.input,
            item.scale,
            "total",
            item.supplied_by,
            item.required_evidence,
        )

    @classmethod
    def deduction(cls, item: DeductionItem) -> ItemEntry:
        scale = KINDS["count"].model(type="count", per_item=item.per_item)
        return cls(
            DEDUCTION,
            item.code,
            item.name,
            item.cap,
            Source.SELF,
            item.input,
            scale,
            item.applies_to,
            item.supplied_by,
            item.required_evidence,
        )

    @cached_property
    def uses(self) -> tuple[InputUse, ...]:
        return _uses(self, self.given, self.scale)


@dataclass(frozen=True)
class CatalogueIndex:
    catalogue: Catalogue
    path: Path
    sha256: str
    leaves: list[LeafEntry]
    by_code: dict[str, LeafEntry] = field(repr=False)
    by_indicator: dict[str, LeafEntry] = field(repr=False)
    by_survey_item: dict[str, LeafEntry] = field(repr=False)
    topics: frozenset[str] = field(repr=False)
    node_codes: frozenset[str] = field(repr=False)
    items: list[ItemEntry] = field(default_factory=list, repr=False)  # bonus items, then deduction items
    uses: dict[tuple[str, str], list[InputUse]] = field(default_factory=dict, repr=False)  # by (section, key)

    @classmethod
    def build(cls, catalogue: Catalogue, *, path: Path, sha256: str) -> CatalogueIndex:
        leaves: list[LeafEntry] = []
        nodes: set[str] = set()
        for area in catalogue.areas:
            nodes.add(area.code)
            for criterion in area.criteria:
                nodes.add(criterion.code)
                items = criterion.items or [criterion.as_leaf()]
                for leaf in items:
                    agency = leaf.agency or criterion.agency or area.agency
                    declared = leaf.co_agencies or criterion.co_agencies
                    co = tuple(dict.fromkeys(a for a in declared if a != agency))
                    leaves.append(LeafEntry(leaf=leaf, area=area, criterion=criterion, agency=agency, co_agencies=co))
        scored: list[ItemEntry] = [ItemEntry.bonus(i) for i in (catalogue.bonus.items if catalogue.bonus else [])]
        scored += [ItemEntry.deduction(i) for i in catalogue.deductions or []]
        uses: dict[tuple[str, str], list[InputUse]] = {}
        for owner in [*leaves, *scored]:
            for use in owner.uses:
                uses.setdefault(use.key, []).append(use)
        first_leaf: dict[str, dict[str, LeafEntry]] = {"document": {}, "indicator": {}, "survey": {}}
        for entry in leaves:
            nodes.add(entry.code)
            for use in entry.uses:
                kind, name = use.key
                if kind in first_leaf:
                    first_leaf[kind].setdefault(name, entry)
        return cls(
            catalogue=catalogue,
            path=path,
            sha256=sha256,
            leaves=leaves,
            by_code={e.code: e for e in leaves},
            by_indicator=first_leaf["indicator"],
            by_survey_item=first_leaf["survey"],
            topics=frozenset(name for kind, name in uses if kind == "document"),
            node_codes=frozenset(nodes),
            items=scored,
            uses=uses,
        )

    @property
    def id(self) -> str:
        return self.catalogue.id

    @property
    def year(self) -> int:
        return self.catalogue.evaluation_year

    def agencies(self) -> list[str]:
        """Every agency named, lead or co-responsible, in catalogue order."""
        seen: dict[str, None] = {}
        for entry in self.leaves:
            for agency in entry.agencies:
                seen.setdefault(agency, None)
        return list(seen)

    def combine_policies(self) -> dict[str, str]:
        """How each indicator's figures combine (one | sum), for merging agencies' parts."""
        return {
            use.key[1]: use.given.combine for entry in self.leaves for use in entry.uses if use.key[0] == "indicator"
        }

    # ---- unit profiles --------------------------------------------------------------------------------------------
    @cached_property
    def profiles(self) -> dict[str, Profile]:
        return {p.id: p for p in self.catalogue.profiles or []}

    def excluded(self, profile: str | None) -> frozenset[str]:
        """The leaf codes that do not apply to units of `profile` (none without a profile)."""
        return self._excluded.get(profile, frozenset()) if profile else frozenset()

    @cached_property
    def _excluded(self) -> dict[str, frozenset[str]]:
        result = {}
        for profile in self.catalogue.profiles or []:
            codes = set(profile.excludes)
            result[profile.id] = frozenset(
                e.code for e in self.leaves if codes & {e.area.code, e.criterion.code, e.code}
            )
        return result

    def applies(self, owner: LeafEntry | ItemEntry, profile: str | None) -> bool:
        """Whether a leaf or an item applies to units of `profile`: a leaf not excluded by it; a deduction whose
        target keeps a leaf; a bonus item none of whose inputs is read by an excluded leaf only."""
        excluded = self.excluded(profile)
        if not excluded:
            return True
        if isinstance(owner, LeafEntry):
            return owner.code not in excluded
        if owner.role == DEDUCTION:
            target = owner.applies_to
            return target == "total" or any(
                e.code not in excluded for e in self.leaves if target in (e.area.code, e.criterion.code)
            )
        for use in owner.uses:
            readers = [u for u in self.uses.get(use.key, []) if isinstance(u.owner, LeafEntry)]
            if readers and all(u.owner.code in excluded for u in readers):
                return False
        return True

    # ---- clusters -------------------------------------------------------------------------------------------------
    def cluster_of_profile(self, profile: str | None) -> str | None:
        for cluster in self.catalogue.clusters or []:
            if profile is not None and profile in cluster.profiles:
                return cluster.id
        return None

    @property
    def clusters_by_profile(self) -> bool:
        return any(cluster.profiles for cluster in self.catalogue.clusters or [])
