"""Evidence bundles built from the catalogue itself, for tests: full marks everywhere, then targeted changes."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from math import ceil
from pathlib import Path
from typing import Any

import yaml

from par_score.catalogue import CatalogueIndex
from par_score.catalogue.model import (
    DocumentInput,
    IndicatorInput,
    SurveyInput,
)
from par_score.evidence.merge import Merged, merge_sources, read_sources
from par_score.scales.periodic import Model as PeriodicScale


def _doc(doc_id: str, topic: str, day: dt.date, **extra: Any) -> dict[str, Any]:
    return {
        "id": doc_id,
        "kind": "bao_cao" if "bao_cao" in topic else "ke_hoach",
        "number": f"{abs(hash(doc_id)) % 900 + 100}/KH-UBND",
        "issuer": "UBND tỉnh Thử Nghiệm",
        "issue_date": day,
        "title": f"Văn bản {topic.replace('_', ' ')}",
        "topics": [topic],
        **extra,
    }


def full_marks(index: CatalogueIndex, *, survey: bool = False) -> dict[str, Any]:
    """A bundle in which every self-scored leaf reaches its top band."""
    year = index.year
    documents: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    for entry in index.leaves:
        leaf = entry.leaf
        given = leaf.input
        if isinstance(given, DocumentInput):
            if isinstance(leaf.scale, PeriodicScale):
                for period in leaf.scale.periods:
                    due = period.due_date(year)
                    documents.append(
                        _doc(f"bc-{period.id}", given.document, due - dt.timedelta(days=2), period=period.id)
                    )
            else:
                documents.append(_doc(f"vb-{leaf.code.replace('.', '-')}", given.document, dt.date(year - 1, 12, 1)))
        elif isinstance(given, IndicatorInput):
            scale = leaf.scale
            if scale.type in ("ratio_bands", "proportional"):
                metrics.append(
                    {"indicator": given.indicator, "numerator": 100, "denominator": 100, "period": str(year)}
                )
            elif scale.type == "value_bands":
                metrics.append({"indicator": given.indicator, "value": 5})
            elif scale.type == "count":
                metrics.append({"indicator": given.indicator, "value": int(ceil(leaf.max / scale.per_item))})
            elif scale.type == "deduction":
                metrics.append({"indicator": given.indicator, "value": 0})
    bundle: dict[str, Any] = {
        "format": "par-score/evidence@1",
        "unit": {"code": "thu-nghiem", "name": "Tỉnh Thử Nghiệm", "level": "tinh"},
        "year": year,
        "documents": documents,
        "metrics": metrics,
    }
    if survey:
        bundle["survey"] = [
            {"item": e.leaf.input.survey, "percent": 100} for e in index.leaves if isinstance(e.leaf.input, SurveyInput)
        ]
    return bundle


def set_metric(bundle: dict[str, Any], indicator: str, **values: Any) -> dict[str, Any]:
    result = copy.deepcopy(bundle)
    result["metrics"] = [m for m in result["metrics"] if m["indicator"] != indicator]
    result["metrics"].append({"indicator": indicator, **values})
    return result


def drop_topic(bundle: dict[str, Any], topic: str) -> dict[str, Any]:
    result = copy.deepcopy(bundle)
    result["documents"] = [d for d in result["documents"] if topic not in d["topics"]]
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def write_bundle(bundle: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(_plain(bundle), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def merge_paths(paths: list[Path], out_dir: Path, combine: dict[str, str] | None = None) -> Merged:
    """`par-score merge` of these parts (files or folders) into `out_dir`, as the command reads them."""
    return merge_sources(read_sources(paths), out_dir, combine)
