"""A one-leaf catalogue per scale kind, for testing a kind module on its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from par_score.catalogue import CatalogueIndex, load_catalogue

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


def bundle_for(index: CatalogueIndex, **sections: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "par-score/evidence@1",
        "unit": {"code": "thu", "name": "Tỉnh Thử", "level": "tinh"},
        "year": YEAR,
        **sections,
    }
