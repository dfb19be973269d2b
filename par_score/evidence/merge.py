"""Merge the agencies' parts (workbooks, YAML/JSON files or folders) into one province bundle.

Identical duplicates merge silently; so does a document sent by several agencies (co-signed), which then names
each of them as its contributor. Where the catalogue sums an indicator (combine: sum), each contributor's figure is
kept as one contribution; a second, different figure from the same contributor (a revised part sent twice) is a
conflict. Every other conflict is refused naming both sources: the same indicator with different figures, the same
criterion declared không phát sinh (or không đạt) differently, the same document id for different documents, the
same survey item twice, a different unit, year or catalogue. Every merged record keeps its origin (the agency's
file, sheet and row), so the checks against the catalogue still point at the agency's row; each figure also carries
it in its `origin` field, and the merged bundle lists the files it was made from (`parts`: path, sha256, contributor)
so that a rerun can tell which agency's part changed since.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from par_score.errors import InputError, Problem
from par_score.evidence.advice import unsupported_file
from par_score.evidence.load import EVIDENCE_SUFFIXES, WORKBOOK_SUFFIX, LoadedPart, bundle_files, read_part
from par_score.evidence.model import SECTIONS, Bundle, BundlePart, Document, Origin, PartFile, markup_problem
from par_score.evidence.wording import FIELD_WORDS as FIELD_NAMES
from par_score.io.hashing import sha256_file
from par_score.vocabulary import UNIT_LEVEL_NAMES, Combine

KEYS = {
    "documents": "id",
    "metrics": "indicator",
    "not_applicable": "criterion",
    "survey": "item",
    "statistics": "statistic",
}


@dataclass
class Source:
    """One part to merge: its records and where each came from."""

    path: Path
    part: BundlePart
    root: Path
    origins: dict[tuple[str, int], Origin] = field(default_factory=dict)
    header_origins: dict[str, Origin] = field(default_factory=dict)
    sha256: str = ""  # of the file as read

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
            if path.is_file() and path.suffix.lower() not in (*EVIDENCE_SUFFIXES, WORKBOOK_SUFFIX):
                raise InputError(Problem(unsupported_file(path), file=str(path)))
            if path.suffix.lower() == WORKBOOK_SUFFIX:
                loaded = [(read_workbook(path), path.parent)]
            else:
                loaded = [(read_part(file), path if path.is_dir() else file.parent) for file in bundle_files(path)]
            hashes = [sha256_file(part.path) for part, _ in loaded]
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        except OSError as exc:
            problems.append(Problem(f"không đọc được tệp ({exc.strerror})", file=str(path)))
            continue
        for (part, root), digest in zip(loaded, hashes, strict=True):
            problems.extend(p.problem for p in part.problems)
            source = _source(part, root)
            source.sha256 = digest
            sources.append(source)
    if problems:
        raise InputError(problems)
    return sources


def _source(loaded: LoadedPart, root: Path) -> Source:
    return Source(loaded.path, loaded.part, root, loaded.origins, loaded.header_origins)


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder))).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(os.path.abspath(path)).as_posix()


def _with_origin(record: BaseModel, source: Source, index: int, out_dir: Path) -> BaseModel:
    """A figure keeps where it was read (file relative to the merged bundle, sheet and row) in its `origin`."""
    if getattr(record, "origin", "") is not None:
        return record
    place = source.origin("metrics", index)
    text = f"{_relative(source.path, out_dir)}, {place.record or f'metrics #{index + 1}'}"
    return record if markup_problem(text) else record.model_copy(update={"origin": text})


def _fold(text: str | None) -> str | None:
    return " ".join(text.split()).casefold() if text else None


def _union_contributors(earlier: Document, record: Document) -> Document | None:
    """The same document sent by several agencies (co-signed): one record naming all of them; None if they differ."""
    if earlier.model_copy(update={"contributors": []}) != record.model_copy(update={"contributors": []}):
        return None
    names = list(earlier.contributors)
    for name in record.contributors:
        if _fold(name) not in {_fold(n) for n in names}:
            names.append(name)
    return earlier.model_copy(update={"contributors": names})


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


def _key(section: str, record: Any, combine: Mapping[str, str]) -> tuple[str, Any]:
    """What makes two records the same record: a summed indicator's figure is its contributor's."""
    if section == "metrics" and combine.get(record.indicator) == Combine.SUM:
        return (section, (record.indicator, _fold(record.contributor)))
    if section == "not_achieved":
        return (section, (record.topic, record.period))
    key_field = KEYS.get(section)
    return (section, getattr(record, key_field) if key_field else record.model_dump_json())


def merge_sources(sources: list[Source], out_dir: Path, combine: Mapping[str, str] | None = None) -> Merged:
    """Merge the parts into one bundle rooted at `out_dir`; InputError lists every conflict. `combine`: how each
    indicator's figures combine (the catalogue's `one` | `sum`; unknown indicators take one figure)."""
    combine = combine or {}
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
                elif section == "metrics":
                    record = _with_origin(record, source, index, out_dir)
                key = _key(section, record, combine)
                if key in kept:
                    first_source, first_index, at = kept[key]
                    earlier = merged[section][at]
                    if section == "metrics":
                        # The same figure is a duplicate wherever it was read (and, for an indicator that takes one
                        # figure, whoever sent it).
                        ignored = (
                            {"origin": None} if isinstance(key[1], tuple) else {"origin": None, "contributor": None}
                        )
                        earlier, record = earlier.model_copy(update=ignored), record.model_copy(update=ignored)
                    if earlier == record:
                        duplicates += 1
                        continue
                    joined = _union_contributors(earlier, record) if section == "documents" else None
                    if joined is not None:
                        merged[section][at] = joined
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
    parts = [
        PartFile(path=_relative(s.path, out_dir), sha256=s.sha256, contributor=s.part.contributor)
        for s in sources
        if s.sha256
    ]
    part = BundlePart(unit=unit, year=year, catalogue=catalogue, report=report, parts=parts, **merged)
    bundle = Bundle(
        unit=unit,
        year=year,
        catalogue=catalogue,
        report=report,
        parts=parts,
        files=[str(s.path) for s in sources],
        contributors={str(s.path): s.part.contributor for s in sources if s.part.contributor},
        root=str(out_dir),
        **merged,
    )
    bundle.attach_provenance(origins, header_origins)
    return Merged(bundle=bundle, part=part, sources=sources, duplicates=duplicates)


def _conflict(
    section: str, key: Any, earlier: BaseModel, record: BaseModel, first: tuple[Source, int], second: tuple[Source, int]
) -> Problem:
    where = f"{first[0].where(section, first[1])} và {second[0].where(section, second[1])}"
    if section == "documents":  # who sent a document is never a conflict: co-signed documents name them all
        earlier, record = (
            earlier.model_copy(update={"contributors": []}),
            record.model_copy(update={"contributors": []}),
        )
    differs = _differences(earlier, record, first[0].origin(section, first[1]))
    if section == "metrics" and isinstance(key, tuple):
        who = f"'{record.contributor}'" if record.contributor else "một đơn vị không ghi tên"
        text = (
            f"chỉ số '{key[0]}' (cộng dồn từ nhiều đơn vị) có hai số liệu khác nhau của {who} (khác ở: {differs}); "
            "mỗi đơn vị chỉ gửi một số liệu — có phải bản sửa được gửi hai lần? Hãy chỉ giữ bản mới"
        )
    elif section == "metrics":
        text = f"chỉ số '{key}' được khai báo hai lần với số liệu khác nhau (khác ở: {differs})"
    elif section == "not_achieved":
        period = f", kỳ '{key[1]}'" if key[1] else ""
        text = f"chủ đề '{key[0]}'{period} được khai báo không đạt hai lần với nội dung khác nhau (khác ở: {differs})"
    elif section == "not_applicable":
        text = f"tiêu chí {key} được khai báo không phát sinh hai lần với nội dung khác nhau (khác ở: {differs})"
    elif section == "documents":
        text = f"mã văn bản '{key}' được dùng cho hai văn bản khác nhau (khác ở: {differs})"
    else:
        text = f"mục điều tra '{key}' được khai báo hai lần với kết quả khác nhau (khác ở: {differs})"
    return Problem(f"{text}: {where}")
