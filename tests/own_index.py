"""Bundles for the catalogues of a province's own index (sở; xã, phường, đặc khu) built from the catalogue itself:
every applicable leaf at its top band, survey and statistics supplied, then targeted changes by leaf code."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from math import ceil
from typing import Any

from par_score.catalogue import CatalogueIndex
from par_score.catalogue.index import InputUse


def _figure(use: InputUse) -> dict[str, Any]:
    """A figure that reaches the top band of the scale reading it."""
    scale, kind = use.scale, use.kind.type
    if scale is None or kind in ("ratio_bands", "proportional"):
        top = scale.bands[0] if scale is not None and kind == "ratio_bands" else None
        if top is not None and top.bound_key == "max":
            return {"numerator": 95, "denominator": 100}
        return {"numerator": 100, "denominator": 100}
    if kind == "value_bands":
        top = scale.bands[0]
        value = top.threshold + (1 if top.bound_key == "above" else 0)
        return {"value": str(value)}
    if kind == "count":
        return {"value": int(ceil(use.owner.maximum / scale.per_item))}
    if kind == "deduction":
        return {"value": 0}
    raise AssertionError(kind)


def full_marks(index: CatalogueIndex, *, profile: str | None = None, code: str = "don-vi", cluster=None) -> dict:
    """Every leaf that applies to `profile` at its top band (survey at 100 %, statistics supplied); no bonus claimed,
    no deduction reported."""
    year = index.year
    excluded = index.excluded(profile)
    documents: list[dict] = []
    metrics: list[dict] = []
    statistics: list[dict] = []
    survey: list[dict] = []
    for entry in index.leaves:
        if entry.code in excluded:
            continue
        for use in entry.uses:
            section, key = use.key
            if section == "survey":
                survey.append({"item": key, "percent": 100})
            elif section == "document":
                periods = use.kind.periods(use.scale)
                if periods:
                    for period in periods:
                        documents.append(
                            _document(f"bc-{period.id}", key, period.due_date(year) - dt.timedelta(days=2), period.id)
                        )
                else:
                    bands = getattr(use.scale, "bands", None)
                    day = bands[0].date(year) if bands else dt.date(year, 6, 1)
                    documents.append(_document(f"vb-{entry.code.replace('.', '-')}-{key}", key, day))
            else:
                record = {("indicator" if section == "indicator" else "statistic"): key, **_figure(use)}
                (metrics if section == "indicator" else statistics).append(record)
    unit = {"code": code, "name": f"Đơn vị {code}", "level": index.catalogue.unit_level}
    if profile:
        unit["profile"] = profile
    if cluster:
        unit["cluster"] = cluster
    return {
        "format": "par-score/evidence@1",
        "unit": unit,
        "year": year,
        "documents": documents,
        "metrics": metrics,
        "statistics": statistics,
        "survey": survey,
    }


def late_report(bundle: dict, period: str, days: int = 5) -> dict:
    """The bundle with the periodic report of `period` sent `days` after its due date."""
    result = copy.deepcopy(bundle)
    for document in result["documents"]:
        if document.get("period") == period:
            document["sent_date"] = document["issue_date"] + dt.timedelta(days=days + 2)
    return result


def issued(bundle: dict, topic: str, day: dt.date) -> dict:
    """The bundle with the documents on `topic` issued on `day`."""
    result = copy.deepcopy(bundle)
    for document in result["documents"]:
        if topic in document["topics"]:
            document["issue_date"] = day
    return result


def _document(doc_id: str, topic: str, day: dt.date, period: str | None = None) -> dict:
    record = {
        "id": doc_id,
        "kind": "bao_cao" if period else "ke_hoach",
        "number": f"{abs(hash(doc_id)) % 900 + 100}/KH",
        "issuer": "Cơ quan thử",
        "issue_date": day,
        "title": f"Văn bản {topic.replace('_', ' ')}",
        "topics": [topic],
    }
    if period:
        record["period"] = period
    return record


def lose(index: CatalogueIndex, bundle: dict, *codes: str) -> dict:
    """The bundle without any evidence of the given leaves (their documents and figures)."""
    result = copy.deepcopy(bundle)
    keys = {use.key for code in codes for use in index.by_code[code].uses}
    result["documents"] = [d for d in result["documents"] if ("document", d["topics"][0]) not in keys]
    result["metrics"] = [m for m in result["metrics"] if ("indicator", m["indicator"]) not in keys]
    result["statistics"] = [s for s in result["statistics"] if ("statistic", s["statistic"]) not in keys]
    result["survey"] = [s for s in result["survey"] if ("survey", s["item"]) not in keys]
    return result


def figure(bundle: dict, section: str, key: str, **values: Any) -> dict:
    """The bundle with the figure of `key` (an indicator, a statistic or a survey item) set to `values`."""
    result = copy.deepcopy(bundle)
    field = {"metrics": "indicator", "statistics": "statistic", "survey": "item"}[section]
    result[section] = [r for r in result.get(section, []) if r[field] != key]
    result[section].append({field: key, **values})
    return result


def not_applicable(index: CatalogueIndex, bundle: dict, *codes: str) -> dict:
    """The bundle with "không phát sinh" declared for `codes` (and their evidence removed)."""
    result = lose(index, bundle, *codes)
    result.setdefault("not_applicable", []).extend(
        {"criterion": code, "reason": f"Không phát sinh nội dung của tiêu chí {code}."} for code in codes
    )
    return result


D = Decimal
