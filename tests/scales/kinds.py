"""A one-leaf catalogue per scale kind, for testing a kind module on its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from conftest import bundle_from
from plan_checks import check_plan

from par_score.catalogue import CatalogueIndex, load_catalogue
from par_score.planning import Plan, make_plan
from par_score.planning.propose import horizon_of, standings
from par_score.scales import Proposal, kind_of
from par_score.scoring.pipeline import score_bundle

YEAR = 2024

# One declaration per kind (the reference catalogue uses every kind but proportional): (input, scale, max, source).
DECLARATIONS: dict[str, tuple[dict[str, Any], dict[str, Any], str, str]] = {
    "binary": ({"document": "quy_che"}, {"type": "binary"}, "1", "self"),
    "deadline": (
        {"document": "ke_hoach"},
        {
            "type": "deadline",
            "bands": [{"by": "12-31", "year_offset": -1, "fraction": 1}, {"by": "01-31", "fraction": 0.5}],
        },
        "1",
        "self",
    ),
    "periodic": (
        {"document": "bao_cao"},
        {
            "type": "periodic",
            "periods": [{"id": "h1", "name": "6 tháng", "due": "06-12"}, {"id": "nam", "name": "năm", "due": "12-12"}],
            "late_fraction": 0.5,
        },
        "1",
        "self",
    ),
    "ratio_bands": (
        {"indicator": "ty_le"},
        {"type": "ratio_bands", "bands": [{"min": 1, "fraction": 1}, {"above": 0.8, "fraction": 0.5}]},
        "1",
        "self",
    ),
    "value_bands": (
        {"indicator": "gia_tri"},
        {"type": "value_bands", "bands": [{"min": 0, "fraction": 1}, {"above": -1, "fraction": 0.5}]},
        "1",
        "self",
    ),
    "proportional": ({"indicator": "ty_le_thuan"}, {"type": "proportional"}, "2", "self"),
    "count": ({"indicator": "so_luong"}, {"type": "count", "per_item": 0.5}, "1", "self"),
    "deduction": ({"indicator": "so_vi_pham"}, {"type": "deduction", "per_item": 0.25}, "1", "self"),
    "survey": ({"survey": "8.1"}, {"type": "survey"}, "10", "survey"),
}


def one_leaf_catalogue(folder: Path, kind: str) -> CatalogueIndex:
    """A catalogue whose only leaf uses `kind` (area 8 for the survey kind, so the item code fits)."""
    given, scale, maximum, source = DECLARATIONS[kind]
    area = "8" if source == "survey" else "1"
    totals = {
        "self": 0 if source == "survey" else maximum,
        "survey": maximum if source == "survey" else 0,
        "all": maximum,
    }
    data = {
        "format": "par-score/catalogue@1",
        "id": f"thu-{kind.replace('_', '-')}",
        "version": "1",
        "title": f"Danh mục thử thang điểm {kind}",
        "kind": "reference",
        "legal_basis": ["Dùng cho kiểm thử"],
        "evaluation_year": YEAR,
        "unit_level": "tinh",
        "declared_totals": totals,
        "areas": [
            {
                "code": area,
                "name": "Lĩnh vực thử",
                "agency": "Sở Nội vụ",
                "declared_totals": totals,
                "criteria": [
                    {
                        "code": f"{area}.1",
                        "name": "Tiêu chí thử",
                        "max": maximum,
                        "source": source,
                        "input": given,
                        "scale": scale,
                        "not_applicable": "none",
                    }
                ],
            }
        ],
    }
    path = folder / f"{kind}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_catalogue(path)


def mixed_catalogue(folder: Path, kinds: list[str]) -> CatalogueIndex:
    """A catalogue with one self-scored leaf of each of `kinds` (in one area, each its own criterion 1.n)."""
    criteria = []
    total = 0
    for n, kind in enumerate(kinds, start=1):
        given, scale, maximum, source = DECLARATIONS[kind]
        assert source == "self"
        criteria.append(
            {
                "code": f"1.{n}",
                "name": f"Tiêu chí thử {kind}",
                "max": maximum,
                "source": "self",
                "input": given,
                "scale": scale,
                "not_applicable": "none",
            }
        )
        total += int(maximum)
    totals = {"self": total, "survey": 0, "all": total}
    data = {
        "format": "par-score/catalogue@1",
        "id": "thu-nhieu-thang-diem",
        "version": "1",
        "title": "Danh mục thử nhiều thang điểm",
        "kind": "reference",
        "legal_basis": ["Dùng cho kiểm thử"],
        "evaluation_year": YEAR,
        "unit_level": "tinh",
        "declared_totals": totals,
        "areas": [
            {
                "code": "1",
                "name": "Lĩnh vực thử",
                "agency": "Sở Nội vụ",
                "declared_totals": totals,
                "criteria": criteria,
            }
        ],
    }
    path = folder / "mixed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_catalogue(path)


def document(doc_id: str, topic: str, issued: str, **extra: Any) -> dict[str, Any]:
    """A document record on `topic` issued on `issued` (YYYY-MM-DD)."""
    return {
        "id": doc_id,
        "kind": "bao_cao" if "period" in extra else "ke_hoach",
        "number": f"{doc_id}/UBND",
        "issuer": "UBND tỉnh Thử",
        "issue_date": issued,
        "title": f"Văn bản {doc_id}",
        "topics": [topic],
        **extra,
    }


def bundle_for(index: CatalogueIndex, **sections: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "par-score/evidence@1",
        "unit": {"code": "thu", "name": "Tỉnh Thử", "level": "tinh"},
        "year": YEAR,
        **sections,
    }


def planned(index: CatalogueIndex, data: dict[str, Any], as_of: dt.date, target: str | None = None) -> Plan:
    """The plan of a bundle given as data, after checking every option by re-scoring it on its own."""
    run = score_bundle(bundle_from(data), index)
    plan = make_plan(run, as_of=as_of, target=target)
    check_plan(run, plan)
    return plan


def hook_proposals(index: CatalogueIndex, data: dict[str, Any], as_of: dt.date) -> list[Proposal]:
    """What the only leaf's scale kind proposes (its plan hook, called directly); [] when it is at its maximum."""
    bundle = bundle_from(data)
    result = score_bundle(bundle, index).result
    below = standings(index, bundle, result)
    if not below:
        return []
    ((entry, standing),) = below
    proposals = kind_of(entry.leaf.scale).plan(standing, horizon_of(index, as_of))
    assert proposals is not None
    return proposals


def texts(plan: Plan) -> list[str]:
    """Every option line of a plan, then every missed line ("đã lỡ: …")."""
    leaves = [leaf for agency in plan.agencies for leaf in agency.leaves]
    return [o.text for leaf in leaves for o in leaf.options] + [
        f"đã lỡ: {m.text}" for leaf in leaves for m in leaf.missed
    ]
