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
from decimal import Decimal
from pathlib import Path
from typing import Any

from par_score.catalogue import CatalogueIndex
from par_score.catalogue.model import (
    CountScale,
    DeadlineScale,
    DeductionScale,
    DocumentInput,
    IndicatorInput,
    PeriodicScale,
    SurveyInput,
    ValueBandsScale,
)

FORMAT = "par-score/evidence@1"
_KINDS = ("quyet_dinh", "ke_hoach", "bao_cao", "cong_van", "quy_che", "he_thong")


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _percent(rng: random.Random, low: int, high: int) -> str:
    return str(Decimal(rng.randint(low * 100, high * 100)) / 100)


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

    # ---- one leaf at a time --------------------------------------------------------------------------------------
    def document_leaf(self, entry) -> None:
        rng, year = self.rng, self.year
        topic = entry.input_key[1]
        scale = entry.leaf.scale
        if rng.random() < 0.08:
            self.explain(entry.code)
            return
        if isinstance(scale, PeriodicScale):
            for period in scale.periods:
                if rng.random() < 0.05:
                    continue
                due = period.due_date(year)
                late = rng.random() < 0.15
                issued = due + dt.timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 20))
                self.document(topic, issued, period=period.id, kind="bao_cao")
        elif isinstance(scale, DeadlineScale):
            self.document(topic, _day(rng, dt.date(year - 1, 11, 1), dt.date(year, 5, 31)))
        else:
            for _ in range(rng.choice((1, 1, 1, 2))):
                self.document(topic, _day(rng, dt.date(year - 1, 10, 1), dt.date(year, 12, 31)))

    def indicator_leaf(self, entry) -> None:
        rng, leaf = self.rng, entry.leaf
        given = leaf.input
        assert isinstance(given, IndicatorInput)
        roll = rng.random()
        if roll < 0.05:
            self.explain(entry.code)
            return
        if roll < 0.12 and leaf.not_applicable != "none":
            self.declare_not_applicable(entry.code)
            return
        record: dict[str, Any] = {"indicator": given.indicator, "period": str(self.year), "source": "Báo cáo minh họa"}
        scale = leaf.scale
        if isinstance(scale, (CountScale, DeductionScale)):
            record["value"] = rng.choice((0, 0, 1, 1, 2, 3, 5))
        elif isinstance(scale, ValueBandsScale):
            record["value"] = str(Decimal(rng.randint(-300, 300)) / 100)
        elif rng.random() < 0.7:
            denominator = rng.randint(1, 500)
            top = denominator * 13 // 10 if given.ratio_may_exceed_one else denominator
            low = denominator * 7 // 10
            record["numerator"] = rng.randint(low, top)
            record["denominator"] = denominator
        else:
            record["percent"] = _percent(rng, 60, 130 if given.ratio_may_exceed_one else 100)
        record["documents"] = [
            self.document(None, _day(rng, dt.date(self.year, 6, 1), dt.date(self.year + 1, 3, 31)), kind="bao_cao")
        ]
        self.metrics.append(record)

    def survey_leaf(self, entry, share: float) -> None:
        rng = self.rng
        given = entry.leaf.input
        assert isinstance(given, SurveyInput)
        if rng.random() >= share:
            return
        if rng.random() < 0.5:
            self.survey.append(
                {"item": given.survey, "percent": _percent(rng, 50, 100), "source": "Số liệu điều tra minh họa"}
            )
        else:
            weights = self.index.catalogue.survey_answer_weights
            answers = {k: rng.randint(0, 200) for k in weights}
            first = next(iter(weights))
            answers[first] += 1  # never all zero
            self.survey.append({"item": given.survey, "answers": answers, "source": "Phiếu điều tra minh họa"})


def synthetic_bundle(
    index: CatalogueIndex, rng: random.Random, number: int = 1, *, survey_share: float = 0.5
) -> dict[str, Any]:
    """The plain data of one complete, valid, random bundle for catalogue `index`."""
    b = _Builder(index, rng, number)
    for entry in index.leaves:
        given = entry.leaf.input
        if isinstance(given, DocumentInput):
            b.document_leaf(entry)
        elif isinstance(given, IndicatorInput):
            b.indicator_leaf(entry)
        else:
            b.survey_leaf(entry, survey_share)
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
