"""Synthetic evidence bundles: complete, valid and random, for benchmarks, batch tests and fuzzing.

`synthetic_bundle(index, rng, number)` returns the plain data of one bundle (what a YAML/JSON file holds) for every
leaf of a catalogue, covering every scale it uses: documents on each topic (some late, some missing), ratios as
numerator/denominator or as percents, counts, value changes, "không phát sinh" declarations, survey previews as
percents or answer counts, statistics supplied from outside (some still pending), the parts of composite criteria,
bonus and deduction items, explanations and report details; in a catalogue with unit profiles and clusters, a
random profile (its excluded criteria left without evidence) and the cluster it needs. Decimals are written as
strings, which the evidence model reads exactly. The data is fictitious.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from par_score.catalogue import CatalogueIndex
from par_score.scales import kind_of
from par_score.vocabulary import NotApplicablePolicy, Source

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
        self.window = index.catalogue.evidence_window.dates(index.year)
        self.documents: list[dict[str, Any]] = []
        self.metrics: list[dict[str, Any]] = []
        self.not_applicable: list[dict[str, Any]] = []
        self.survey: list[dict[str, Any]] = []
        self.statistics: list[dict[str, Any]] = []
        self.explanations: list[dict[str, Any]] = []
        self.given: set[tuple[str, str]] = set()  # inputs already given (a bonus item may read a leaf's input again)
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
        if (given.kind, given.key) in self.given:
            return
        self.given.add((given.kind, given.key))
        key, section = ("statistic", self.statistics) if given.kind == "statistic" else ("indicator", self.metrics)
        source = "Số liệu thống kê minh họa" if given.kind == "statistic" else "Báo cáo minh họa"
        record: dict[str, Any] = {key: given.key, "period": str(self.year), "source": source}
        record.update(fields)
        end = min(dt.date(self.year + 1, 3, 31), self.window[1])
        day = _day(self.rng, dt.date(self.year, 6, 1), end)
        record["documents"] = [self.document(None, day, kind="bao_cao")]
        section.append(record)

    def survey_result(self, given, fields: dict[str, Any]) -> None:
        self.survey.append({"item": given.survey, **fields})

    # ---- one leaf at a time: what every leaf of an input kind may do, then its scale kind's evidence -------------
    def leaf(self, entry, survey_share: float) -> None:
        rng, leaf = self.rng, entry.leaf
        kind = entry.input_key[0]
        if entry.source == Source.STATISTICS:
            roll = rng.random()
            if roll < 0.1:
                return  # still pending
            if roll < 0.15 and leaf.not_applicable != NotApplicablePolicy.NONE:
                self.declare_not_applicable(entry.code)
                return
        elif kind == "document":
            if rng.random() < 0.08:
                self.explain(entry.code)
                return
        elif kind == "indicator":
            roll = rng.random()
            if roll < 0.05:
                self.explain(entry.code)
                return
            if roll < 0.12 and leaf.not_applicable != NotApplicablePolicy.NONE:
                self.declare_not_applicable(entry.code)
                return
        elif rng.random() >= survey_share:
            return
        kind_of(leaf.scale).synthesize(self, leaf.scale, leaf.input, entry.code)

    def item(self, entry) -> None:
        """A bonus item claimed now and then; a deduction count reported now and then (mostly none)."""
        if self.rng.random() < 0.5:
            kind_of(entry.scale).synthesize(self, entry.scale, entry.given, entry.code)


def synthetic_bundle(
    index: CatalogueIndex, rng: random.Random, number: int = 1, *, survey_share: float = 0.5
) -> dict[str, Any]:
    """The plain data of one complete, valid, random bundle for catalogue `index`."""
    b = _Builder(index, rng, number)
    profiles = list(index.profiles)
    profile = rng.choice(profiles) if profiles else None
    excluded = index.excluded(profile)
    for entry in index.leaves:
        if entry.code not in excluded:
            b.leaf(entry, survey_share)
    for entry in index.items:
        if index.applies(entry, profile):
            b.item(entry)
    year = index.year
    unit: dict[str, Any] = {
        "code": f"don-vi-{number:04d}",
        "name": f"Tỉnh Thử Nghiệm {number}",
        "level": index.catalogue.unit_level,
    }
    if profile is not None:
        unit["profile"] = profile
    clusters = index.catalogue.clusters or []
    if clusters and not index.clusters_by_profile and len(clusters) > 1:
        unit["cluster"] = rng.choice(clusters).id
    data: dict[str, Any] = {
        "format": FORMAT,
        "unit": unit,
        "year": year,
        "catalogue": index.id,
        "documents": b.documents,
        "metrics": b.metrics,
        "not_applicable": b.not_applicable,
        "survey": b.survey,
        "explanations": b.explanations,
        **({"statistics": b.statistics} if b.statistics else {}),
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
