"""One file's worth of evidence as loaded (LoadedPart), and the one place a record is validated.

Shared by the YAML/JSON loader (load.py) and the workbook reader (workbook/reader.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from par_score.evidence.model import (
    SECTIONS,
    BundlePart,
    Document,
    Explanation,
    LoadProblem,
    Metric,
    NotAchieved,
    NotApplicable,
    Origin,
    Statistic,
    SurveyResult,
)

RECORD_MODELS: dict[str, type[BaseModel]] = {
    "documents": Document,
    "metrics": Metric,
    "not_applicable": NotApplicable,
    "not_achieved": NotAchieved,
    "survey": SurveyResult,
    "explanations": Explanation,
    "statistics": Statistic,
}


@dataclass
class LoadedPart:
    """What one file holds: its valid records, where each came from, and the problems of what was left out."""

    path: Path
    part: BundlePart
    origins: dict[tuple[str, int], Origin] = field(default_factory=dict)  # (section, index in part) → origin
    header_origins: dict[str, Origin] = field(default_factory=dict)  # "year", "unit.level", … (workbooks)
    problems: list[LoadProblem] = field(default_factory=list)

    def origin(self, section: str, index: int) -> Origin:
        return self.origins.get((section, index)) or Origin(file=str(self.path), section=section, index=index)


def validate_record(section: str, raw: Any) -> BaseModel:
    """The one place a record is validated, from a YAML/JSON file or a workbook row alike (raises ValidationError)."""
    return RECORD_MODELS[section].model_validate(raw)


def document_id(section: str, raw: Any) -> str | None:
    """The id of a document record as written, even when the record itself is invalid."""
    value = raw.get("id") if section == "documents" and isinstance(raw, dict) else None
    return value.strip() if isinstance(value, str) else None


def with_contributor(part: BundlePart) -> BundlePart:
    """The part with its `contributor` (who prepared the file) given to each of its records that names none: the
    contributor then travels with the record through merging and into the explanation of a summed figure."""
    who = part.contributor
    if who is None:
        return part
    update: dict[str, list[BaseModel]] = {}
    for section in SECTIONS:
        records = getattr(part, section)
        if section == "documents":
            update[section] = [d if d.contributors else d.model_copy(update={"contributors": [who]}) for d in records]
        elif section in ("metrics", "not_achieved"):
            update[section] = [r if r.contributor else r.model_copy(update={"contributor": who}) for r in records]
    return part.model_copy(update=update)
