"""Read an evidence bundle: one YAML/JSON file, or a folder of them whose sections are merged."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from par_score.errors import InputError, Problem
from par_score.evidence.model import SECTIONS, Bundle, BundlePart, Origin
from par_score.readers import read_structured
from par_score.validation import problems_from

EVIDENCE_SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILES = 500


def bundle_files(path: Path) -> list[Path]:
    """The files a bundle path stands for, in a stable order."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in EVIDENCE_SUFFIXES)
        if not files:
            raise InputError(Problem("thư mục không có tệp bằng chứng nào (.yaml, .yml, .json)", file=str(path)))
        if len(files) > MAX_FILES:
            raise InputError(Problem(f"thư mục có quá nhiều tệp ({len(files)}; tối đa {MAX_FILES})", file=str(path)))
        return files
    if path.is_file():
        return [path]
    raise InputError(Problem("không tìm thấy tệp hoặc thư mục bằng chứng", file=str(path)))


def _read_part(file: Path) -> BundlePart:
    raw = read_structured(file)
    if not isinstance(raw, dict):
        raise InputError(Problem("tệp bằng chứng phải là một bản ghi (khóa: giá trị) ở cấp ngoài cùng", file=str(file)))
    try:
        return BundlePart.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, raw, str(file))) from None


def load_bundle(path: Path | str) -> Bundle:
    """Load and structurally validate a bundle (cross-checks against a catalogue live in evidence.checks)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from par_score.evidence.xlsx import load_workbook_bundle

        return load_workbook_bundle(path)
    files = bundle_files(path)
    parts: list[tuple[Path, BundlePart]] = []
    problems: list[Problem] = []
    for file in files:
        try:
            parts.append((file, _read_part(file)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return merge_parts(parts, root=path if path.is_dir() else path.parent)


def merge_parts(parts: list[tuple[Path, BundlePart]], root: Path) -> Bundle:
    headers = [(f, p) for f, p in parts if p.unit is not None or p.year is not None]
    problems: list[Problem] = []
    if not headers:
        where = str(parts[0][0]) if len(parts) == 1 else str(root)
        problems.append(Problem("thiếu thông tin đơn vị (unit) và năm đánh giá (year)", file=where, field="unit, year"))
    elif len(headers) > 1:
        names = ", ".join(str(f) for f, _ in headers)
        problems.append(Problem(f"unit/year chỉ được khai báo trong một tệp, đang có ở: {names}", file=str(root)))
    else:
        file, header = headers[0]
        if header.unit is None:
            problems.append(Problem("thiếu thông tin đơn vị", file=str(file), field="unit"))
        if header.year is None:
            problems.append(Problem("thiếu năm đánh giá", file=str(file), field="year"))
    reports = [(f, p) for f, p in parts if p.report is not None]
    if len(reports) > 1:
        names = ", ".join(str(f) for f, _ in reports)
        problems.append(Problem(f"phần 'report' chỉ được khai báo trong một tệp, đang có ở: {names}", file=str(root)))
    catalogues = {p.catalogue for _, p in parts if p.catalogue}
    if len(catalogues) > 1:
        problems.append(Problem(f"các tệp khai báo danh mục khác nhau: {', '.join(sorted(catalogues))}", file=str(root), field="catalogue"))
    if problems:
        raise InputError(problems)

    header = headers[0][1]
    merged: dict[str, list[Any]] = {s: [] for s in SECTIONS}
    origins: dict[tuple[str, int], Origin] = {}
    for file, part in parts:
        for section in SECTIONS:
            for index, record in enumerate(getattr(part, section)):
                origins[(section, len(merged[section]))] = Origin(file=str(file), section=section, index=index)
                merged[section].append(record)
    bundle = Bundle(
        unit=header.unit,
        year=header.year,
        catalogue=next(iter(catalogues), None),
        report=reports[0][1].report if reports else None,
        files=[str(f) for f, _ in parts],
        root=str(root),
        **merged,
    )
    bundle._origins = origins
    return bundle
