"""Merge the agencies' parts (workbooks, YAML/JSON files or folders) into one province bundle.

Identical duplicates merge silently; a conflict is refused naming both sources: the same indicator with different
figures, the same criterion declared không phát sinh with different reasons, the same document id for different
documents, the same survey item twice, a different unit, year or catalogue. Every merged record keeps its origin
(the agency's file, sheet and row), so the checks against the catalogue still point at the agency's row.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from par_score.errors import InputError, Problem
from par_score.evidence.load import LoadedPart, bundle_files, read_part
from par_score.evidence.model import SECTIONS, Bundle, BundlePart, Document, Origin
from par_score.vocabulary import UNIT_LEVEL_NAMES

KEYS = {"documents": "id", "metrics": "indicator", "not_applicable": "criterion", "survey": "item"}
FIELD_NAMES = {
    "numerator": "tử số",
    "denominator": "mẫu số",
    "percent": "tỷ lệ (%)",
    "value": "giá trị",
    "period": "kỳ",
    "source": "nguồn",
    "documents": "văn bản kèm theo",
    "reason": "lý do",
    "answers": "số phiếu",
    "kind": "loại văn bản",
    "number": "số, ký hiệu",
    "issuer": "cơ quan ban hành",
    "issue_date": "ngày ban hành",
    "sent_date": "ngày gửi",
    "title": "trích yếu",
    "topics": "chủ đề",
    "locator": "vị trí trong văn bản",
    "file": "tệp đính kèm",
}


@dataclass
class Source:
    """One part to merge: its records and where each came from."""

    path: Path
    part: BundlePart
    root: Path
    origins: dict[tuple[str, int], Origin] = field(default_factory=dict)
    header_origins: dict[str, Origin] = field(default_factory=dict)

    def origin(self, section: str, index: int) -> Origin:
        return self.origins.get((section, index)) or Origin(file=str(self.path), section=section, index=index)

    def where(self, section: str, index: int) -> str:
        origin = self.origin(section, index)
        return f"'{self.path}' ({origin.record or f'{section} #{index + 1}'})"

    def where_header(self, name: str) -> str:
        origin = self.header_origins.get(name)
        return f"'{self.path}'" + (f" ({origin.record})" if origin and origin.record else "")


@dataclass
class Merged:
    bundle: Bundle
    part: BundlePart
    sources: list[Source]
    duplicates: int


def read_sources(paths: list[Path]) -> list[Source]:
    """Read every part; report the problems of all of them together (a part with any problem is refused: merging
    never checks the records against a catalogue, so no record may be left out)."""
    from par_score.evidence.workbook.reader import read_workbook

    sources: list[Source] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        key = os.path.abspath(path)
        if key in seen:
            problems.append(Problem("tệp được nêu hai lần trong danh sách cần hợp nhất", file=str(path)))
            continue
        seen[key] = path
        try:
            if path.suffix.lower() == ".xlsx":
                loaded = [(read_workbook(path), path.parent)]
            else:
                loaded = [(read_part(file), path if path.is_dir() else file.parent) for file in bundle_files(path)]
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for part, root in loaded:
            problems.extend(p.problem for p in part.problems)
            sources.append(_source(part, root))
    if problems:
        raise InputError(problems)
    return sources


def _source(loaded: LoadedPart, root: Path) -> Source:
    return Source(loaded.path, loaded.part, root, loaded.origins, loaded.header_origins)


def _differences(a: BaseModel, b: BaseModel, origin: Origin) -> str:
    left, right = a.model_dump(), b.model_dump()
    names = []
    for key in left:
        if left[key] != right.get(key):
            shown = origin.fields.get(key) or (origin.fields.get("answers") if key == "answers" else None)
            names.append(f"'{shown}'" if shown else FIELD_NAMES.get(key, key))
    return ", ".join(names)


def _rebase(doc: Document, source: Source, index: int, out_dir: Path, problems: list[Problem]) -> Document:
    """Attached file paths are relative to the part's folder; the merged bundle needs them relative to its own."""
    if doc.file is None:
        return doc
    relative = doc.file.path
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts or "\\" in relative:
        return doc  # refused by the checks, at the agency's row
    target = Path(os.path.abspath(source.root / candidate))
    try:
        rebased = target.relative_to(os.path.abspath(out_dir)).as_posix()
    except ValueError:
        origin_text = source.where("documents", index)
        problems.append(
            Problem(
                f"tệp đính kèm '{relative}' của văn bản '{doc.id}' ({origin_text}) nằm ngoài thư mục của bộ hợp nhất "
                f"'{out_dir}'; hãy ghi bộ hợp nhất (--out) vào thư mục chứa các tệp đính kèm"
            )
        )
        return doc
    return doc.model_copy(update={"file": doc.file.model_copy(update={"path": rebased})})


def _header(sources: list[Source], problems: list[Problem]) -> tuple[Any, Any, Any, Any, dict[str, Origin]]:
    declaring = [s for s in sources if s.part.unit is not None or s.part.year is not None]
    if not declaring:
        problems.append(Problem("không phần nào khai báo đơn vị (unit) và năm đánh giá (year)"))
        return None, None, None, None, {}
    first = declaring[0]
    for attr, label in (("unit", "đơn vị"), ("year", "năm đánh giá"), ("catalogue", "danh mục tiêu chí")):
        given = [s for s in sources if getattr(s.part, attr) is not None]
        for other in given[1:]:
            a, b = getattr(given[0].part, attr), getattr(other.part, attr)
            if a != b:
                show = (
                    (lambda u: f"'{u.name}' ({u.code}, {UNIT_LEVEL_NAMES.get(u.level, u.level)})")
                    if attr == "unit"
                    else (lambda v: f"'{v}'")
                )
                name = "unit.code" if attr == "unit" else attr
                problems.append(
                    Problem(
                        f"{label} khác nhau: {show(a)} ở {given[0].where_header(name)} và {show(b)} ở "
                        f"{other.where_header(name)}"
                    )
                )
    unit = next((s.part.unit for s in sources if s.part.unit is not None), None)
    year = next((s.part.year for s in sources if s.part.year is not None), None)
    catalogue = next((s.part.catalogue for s in sources if s.part.catalogue is not None), None)
    if unit is None:
        problems.append(Problem("không phần nào khai báo đơn vị (unit)"))
    if year is None:
        problems.append(Problem("không phần nào khai báo năm đánh giá (year)"))
    reports = [s for s in sources if s.part.report is not None]
    for other in reports[1:]:
        if other.part.report != reports[0].part.report:
            problems.append(
                Problem(
                    f"phần 'report' (thông tin báo cáo) khác nhau ở '{reports[0].path}' và '{other.path}'; chỉ một "
                    "phần được khai báo"
                )
            )
    report = reports[0].part.report if reports else None
    return unit, year, catalogue, report, dict(first.header_origins)


def merge_sources(sources: list[Source], out_dir: Path) -> Merged:
    """Merge the parts into one bundle rooted at `out_dir`; InputError lists every conflict."""
    problems: list[Problem] = []
    unit, year, catalogue, report, header_origins = _header(sources, problems)
    merged: dict[str, list[Any]] = {s: [] for s in SECTIONS}
    origins: dict[tuple[str, int], Origin] = {}
    kept: dict[
        tuple[str, Any], tuple[Source, int, int]
    ] = {}  # (section, key) → (source, index in source, merged index)
    duplicates = 0
    for source in sources:
        for section in SECTIONS:
            for index, record in enumerate(getattr(source.part, section)):
                if section == "documents":
                    record = _rebase(record, source, index, out_dir, problems)
                key_field = KEYS.get(section)
                key = (section, getattr(record, key_field) if key_field else record.model_dump_json())
                if key in kept:
                    first_source, first_index, at = kept[key]
                    earlier = merged[section][at]
                    if earlier == record:
                        duplicates += 1
                        continue
                    problems.append(
                        _conflict(section, key[1], earlier, record, (first_source, first_index), (source, index))
                    )
                    continue
                kept[key] = (source, index, len(merged[section]))
                origins[(section, len(merged[section]))] = source.origin(section, index)
                merged[section].append(record)
    if problems:
        raise InputError(problems)
    part = BundlePart(unit=unit, year=year, catalogue=catalogue, report=report, **merged)
    bundle = Bundle(
        unit=unit,
        year=year,
        catalogue=catalogue,
        report=report,
        files=[str(s.path) for s in sources],
        root=str(out_dir),
        **merged,
    )
    bundle.attach_provenance(origins, header_origins)
    return Merged(bundle=bundle, part=part, sources=sources, duplicates=duplicates)


def _conflict(
    section: str, key: Any, earlier: BaseModel, record: BaseModel, first: tuple[Source, int], second: tuple[Source, int]
) -> Problem:
    where = f"{first[0].where(section, first[1])} và {second[0].where(section, second[1])}"
    differs = _differences(earlier, record, first[0].origin(section, first[1]))
    if section == "metrics":
        text = f"chỉ số '{key}' được khai báo hai lần với số liệu khác nhau (khác ở: {differs})"
    elif section == "not_applicable":
        text = f"tiêu chí {key} được khai báo không phát sinh hai lần với nội dung khác nhau (khác ở: {differs})"
    elif section == "documents":
        text = f"mã văn bản '{key}' được dùng cho hai văn bản khác nhau (khác ở: {differs})"
    else:
        text = f"mục điều tra '{key}' được khai báo hai lần với kết quả khác nhau (khác ở: {differs})"
    return Problem(f"{text}: {where}")


def merge_paths(paths: list[Path], out_dir: Path) -> Merged:
    return merge_sources(read_sources(paths), out_dir)
