"""Lookups over a validated catalogue: leaves in order, by code, by indicator, by topic, by survey item."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from par_score.catalogue.model import (
    Area,
    Catalogue,
    Criterion,
    Leaf,
)


@dataclass(frozen=True)
class LeafEntry:
    leaf: Leaf
    area: Area
    criterion: Criterion
    agency: str

    @property
    def code(self) -> str:
        return self.leaf.code

    @property
    def input_key(self) -> tuple[str, str]:
        """(what the leaf reads: "document" | "indicator" | "survey", its topic / indicator / survey item)."""
        return (self.leaf.input.kind, self.leaf.input.key)


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
                    leaves.append(LeafEntry(leaf=leaf, area=area, criterion=criterion, agency=agency))
        by_kind: dict[str, dict[str, LeafEntry]] = {"document": {}, "indicator": {}, "survey": {}}
        for entry in leaves:
            kind, name = entry.input_key
            by_kind[kind].setdefault(name, entry)
            nodes.add(entry.code)
        return cls(
            catalogue=catalogue,
            path=path,
            sha256=sha256,
            leaves=leaves,
            by_code={e.code: e for e in leaves},
            by_indicator=by_kind["indicator"],
            by_survey_item=by_kind["survey"],
            topics=frozenset(by_kind["document"]),
            node_codes=frozenset(nodes),
        )

    @property
    def id(self) -> str:
        return self.catalogue.id

    @property
    def year(self) -> int:
        return self.catalogue.evaluation_year

    def agencies(self) -> list[str]:
        seen: dict[str, None] = {}
        for entry in self.leaves:
            seen.setdefault(entry.agency, None)
        return list(seen)
