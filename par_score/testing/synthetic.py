"""Synthetic evidence bundles: complete, valid and random, for benchmarks, batch tests and fuzzing.

`synthetic_bundle(index, rng, number)` returns the plain data of one bundle (what a YAML/JSON file holds) for every
leaf of a catalogue, covering every scale it uses: documents on each topic (some late, some missing), ratios as
numerator/denominator or as percents, counts, value changes, "không phát sinh" declarations, survey previews as
percents or answer counts, explanations and report details. Decimals are written as strings, which the evidence
model reads exactly. The data is fictitious.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from par_score.catalogue import CatalogueIndex
from par_score.scales import kind_of

FORMAT = "par-score/evidence@1"
_KINDS = ("quyet_dinh", "ke_hoach", "bao_cao", "cong_van", "quy_che", "he_thong")


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


class _Builder:
    def __init__(self, index: CatalogueIndex, rng: random.Random, number: int):
        self.index = index
        self.rng = rng
        self.number = number
        self.year = index.year
        self.documents: list[dict[str, Any]] = []
        self.metrics: list[dict[str, Any]] = []
        self.not_applicable: list[dict[str, Any]] = []
        self.survey: list[dict[str, Any]] = []
        self.explanations: list[dict[str, Any]] = []
        self.answer_weights = index.catalogue.survey_answer_weights

    def document(
        self, topic: str | None, issue_date: dt.date, *, period: str | None = None, kind: str | None = None
    ) -> str:
        doc_id = f"vb-{len(self.documents) + 1:03d}"
        record: dict[str, Any] = {
            "id": doc_id,
            "kind": kind or self.rng.choice(_KINDS),
            "number": f"{self.rng.randint(1, 4999)}/{self.rng.choice(['QĐ', 'KH', 'BC', 'CV'])}-UBND",
            "issuer": f"UBND tỉnh Thử Nghiệm {self.number}",
            "issue_date": issue_date.isoformat(),
            "title": f"Văn bản minh họa số {len(self.documents) + 1} về cải cách hành chính năm {self.year}",
            "topics": [topic] if topic else [],
            "locator": "Toàn văn",
        }
        if period:
            record["period"] = period
        self.documents.append(record)
        return doc_id

    def explain(self, code: str) -> None:
        if self.rng.random() < 0.5:
            self.explanations.append({"criterion": code, "text": f"Giải trình minh họa cho tiêu chí {code}."})

    def declare_not_applicable(self, code: str) -> None:
        support = self.document(
            None, _day(self.rng, dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)), kind="cong_van"
        )
        self.not_applicable.append(
            {
                "criterion": code,
                "reason": f"Năm {self.year} không phát sinh nội dung của tiêu chí {code}.",
                "documents": [support],
            }
        )

    # ---- what a scale kind asks for (par_score.scales._kind.SyntheticBuilder) ----------------------------------
    def metric(self, given, fields: dict[str, Any]) -> None:
        record: dict[str, Any] = {"indicator": given.indicator, "period": str(self.year), "source": "Báo cáo minh họa"}
        record.update(fields)
        day = _day(self.rng, dt.date(self.year, 6, 1), dt.date(self.year + 1, 3, 31))
        record["documents"] = [self.document(None, day, kind="bao_cao")]
        self.metrics.append(record)

    def survey_result(self, given, fields: dict[str, Any]) -> None:
        self.survey.append({"item": given.survey, **fields})

    # ---- one leaf at a time: what every leaf of an input kind may do, then its scale kind's evidence -------------
    def leaf(self, entry, survey_share: float) -> None:
        rng, leaf = self.rng, entry.leaf
        kind = entry.input_key[0]
        if kind == "document":
            if rng.random() < 0.08:
                self.explain(entry.code)
                return
        elif kind == "indicator":
            roll = rng.random()
            if roll < 0.05:
                self.explain(entry.code)
                return
            if roll < 0.12 and leaf.not_applicable != "none":
                self.declare_not_applicable(entry.code)
                return
        elif rng.random() >= survey_share:
            return
        kind_of(leaf.scale).synthesize(self, leaf.scale, leaf.input, entry.code)


def synthetic_bundle(
    index: CatalogueIndex, rng: random.Random, number: int = 1, *, survey_share: float = 0.5
) -> dict[str, Any]:
    """The plain data of one complete, valid, random bundle for catalogue `index`."""
    b = _Builder(index, rng, number)
    for entry in index.leaves:
        b.leaf(entry, survey_share)
    year = index.year
    data: dict[str, Any] = {
        "format": FORMAT,
        "unit": {
            "code": f"don-vi-{number:04d}",
            "name": f"Tỉnh Thử Nghiệm {number}",
            "level": index.catalogue.unit_level,
        },
        "year": year,
        "catalogue": index.id,
        "documents": b.documents,
        "metrics": b.metrics,
        "not_applicable": b.not_applicable,
        "survey": b.survey,
        "explanations": b.explanations,
        "report": {
            "number": f"{rng.randint(1, 99)}/BC-UBND",
            "date": dt.date(year + 1, 1, rng.randint(5, 25)).isoformat(),
            "place": f"Thử Nghiệm {number}",
            "issuing_body": f"ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM {number}",
            "signer": {"name": "Nguyễn Văn Minh Họa"},
            "recipients": ["Bộ Nội vụ;", "Lưu: VT."],
            "difficulties": ["Khó khăn minh họa."],
            "proposals": ["Đề xuất minh họa."],
        },
    }
    return data


def write_bundle(data: dict[str, Any], path: Path) -> Path:
    """Write bundle data as a JSON (.json) or YAML (.yaml/.yml) file."""
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        import yaml

        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
