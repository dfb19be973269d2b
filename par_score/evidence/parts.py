"""One file's worth of evidence as loaded (LoadedPart), and the one place a record is validated.

Shared by the YAML/JSON loader (load.py) and the workbook reader (workbook/reader.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from par_score.evidence.model import (
    BundlePart,
    Document,
    Explanation,
    LoadProblem,
    Metric,
    NotApplicable,
    Origin,
    SurveyResult,
)

RECORD_MODELS: dict[str, type[BaseModel]] = {
    "documents": Document,
    "metrics": Metric,
    "not_applicable": NotApplicable,
    "survey": SurveyResult,
    "explanations": Explanation,
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
