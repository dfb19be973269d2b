"""Read an evidence bundle: one YAML/JSON file, or a folder of them whose sections are merged (or one .xlsx workbook).

Loading is lenient per record. A record that fails validation is left out of the bundle and its problems are kept
(LoadProblem, located like any other problem), so that check_bundle reports them together with the checks against
the catalogue, in one round. `load_bundle(path)` raises them at once (for any use of a bundle without those checks);
`load_bundle(path, lenient=True)` returns the bundle carrying them, and check_bundle (hence Scorer) refuses it.

What makes a whole file unusable still stops loading at once, with every problem found in it: not YAML/JSON, not a
mapping at the top level, size limits, a wrong unit, year or format, a section that is not a list, no unit/year at
all, a workbook's structure (sheets, columns, the 'Thông tin' sheet).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from par_score.errors import InputError, Problem
from par_score.evidence.model import (
    SECTIONS,
    Bundle,
    BundlePart,
    LoadProblem,
    Origin,
)
from par_score.evidence.parts import LoadedPart, document_id, validate_record
from par_score.io.readers import read_structured
from par_score.io.validation import located_problems, problems_from

EVIDENCE_SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILES = 500
UNUSABLE_IF_WRONG = frozenset({"format", "unit", "year", *SECTIONS})  # a wrong header key that stops the file


def bundle_files(path: Path) -> list[Path]:
    """The files a bundle path stands for, in a stable order."""
    if path.is_dir():
        workbooks = sorted(p.name for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".xlsx")
        if workbooks:
            # A folder bundle is read from YAML/JSON only; a workbook in it would otherwise be silently ignored.
            raise InputError(
                Problem(
                    f"thư mục bộ bằng chứng có bảng tính ({', '.join(workbooks)}): hãy chấm riêng từng bảng tính, "
                    "hoặc hợp nhất bằng 'par-score merge' trước khi chấm",
                    file=str(path),
                )
            )
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in EVIDENCE_SUFFIXES)
        if not files:
            raise InputError(Problem("thư mục không có tệp bằng chứng nào (.yaml, .yml, .json)", file=str(path)))
        if len(files) > MAX_FILES:
            raise InputError(Problem(f"thư mục có quá nhiều tệp ({len(files)}; tối đa {MAX_FILES})", file=str(path)))
        return files
    if path.is_file():
        return [path]
    raise InputError(Problem("không tìm thấy tệp hoặc thư mục bằng chứng", file=str(path)))


def read_part(file: Path) -> LoadedPart:
    """Read one YAML/JSON evidence file; invalid records are left out with their problems (InputError if unusable)."""
    return part_from_data(read_structured(file), file)


def part_from_data(raw: Any, file: Path) -> LoadedPart:
    """One part from plain data as a file would hold it (`file` names it in every problem); see read_part."""
    where = str(file)
    if not isinstance(raw, dict):
        raise InputError(Problem("tệp bằng chứng phải là một bản ghi (khóa: giá trị) ở cấp ngoài cùng", file=where))
    header, problems = _header(raw, where)
    kept: dict[str, list[BaseModel]] = {}
    origins: dict[tuple[str, int], Origin] = {}
    for section in SECTIONS:
        if isinstance(raw.get(section), list):
            kept[section] = _records(raw, section, where, origins, problems)
    if header is None:
        raise InputError([p.problem for p in problems])
    return LoadedPart(file, header.model_copy(update=kept), origins, problems=problems)


def _header(raw: dict[str, Any], file: str) -> tuple[BundlePart | None, list[LoadProblem]]:
    """The file without its record lists. A wrong report or unknown key is left out; a wrong unit/year/format/section
    makes the file unusable (None)."""
    head = {k: v for k, v in raw.items() if not (k in SECTIONS and isinstance(v, list))}
    try:
        return BundlePart.model_validate(head), []
    except ValidationError as exc:
        found = located_problems(exc, head, file)
    problems = _unique(
        LoadProblem(Origin(file=file, section="report" if loc[:1] == ("report",) else "header", index=0), problem)
        for loc, problem in found
    )
    wrong = {loc[0] if loc else "" for loc, _ in found}
    if wrong & UNUSABLE_IF_WRONG or "" in wrong:
        return None, problems
    try:
        return BundlePart.model_validate({k: v for k, v in head.items() if k not in wrong}), problems
    except ValidationError:
        return None, problems


def _records(
    raw: dict[str, Any], section: str, file: str, origins: dict[tuple[str, int], Origin], problems: list[LoadProblem]
) -> list[BaseModel]:
    """The valid records of one section, each with its origin (its position in the file); the others' problems."""
    kept: list[BaseModel] = []
    for position, item in enumerate(raw[section]):
        origin = Origin(file=file, section=section, index=position)
        try:
            record = validate_record(section, item)
        except ValidationError as exc:
            found = problems_from(exc, raw, file, prefix=(section, position))
            problems.extend(LoadProblem(origin, problem, document_id(section, item)) for problem in found)
            continue
        origins[(section, len(kept))] = origin
        kept.append(record)
    return kept


def _unique(problems: Iterable[LoadProblem]) -> list[LoadProblem]:
    first: dict[Problem, LoadProblem] = {}
    for problem in problems:
        first.setdefault(problem.problem, problem)
    return list(first.values())


def load_bundle(path: Path | str, *, lenient: bool = False) -> Bundle:
    """Load and validate a bundle (cross-checks against a catalogue live in evidence.checks).

    Records that fail validation raise InputError, unless `lenient`: then they are left out and their problems ride
    on the bundle for check_bundle to report with its own (a bundle that carries any is never scored).
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from par_score.evidence.workbook.reader import read_workbook

        bundle = merge_parts([read_workbook(path)], root=path.parent)
    else:
        bundle = merge_parts(_read_files(path), root=path if path.is_dir() else path.parent)
    if bundle.load_problems and not lenient:
        raise InputError([p.problem for p in bundle.load_problems])
    return bundle


def _read_files(path: Path) -> list[LoadedPart]:
    """Every file of the bundle; if one is unusable, InputError with the problems of every file, in file order."""
    parts: list[LoadedPart] = []
    problems: list[Problem] = []
    unusable = False
    for file in bundle_files(path):
        try:
            loaded = read_part(file)
        except InputError as exc:
            unusable = True
            problems.extend(exc.problems)
            continue
        parts.append(loaded)
        problems.extend(p.problem for p in loaded.problems)
    if unusable:
        raise InputError(problems)
    return parts


def merge_parts(parts: list[LoadedPart], root: Path) -> Bundle:
    """One bundle from the parts of a folder (or one file or workbook); their load problems ride along."""
    headers = [p for p in parts if p.part.unit is not None or p.part.year is not None]
    problems: list[Problem] = []
    if not headers:
        where = str(parts[0].path) if len(parts) == 1 else str(root)
        problems.append(Problem("thiếu thông tin đơn vị (unit) và năm đánh giá (year)", file=where, field="unit, year"))
    elif len(headers) > 1:
        names = ", ".join(str(p.path) for p in headers)
        problems.append(Problem(f"unit/year chỉ được khai báo trong một tệp, đang có ở: {names}", file=str(root)))
    else:
        file, header = headers[0].path, headers[0].part
        if header.unit is None:
            problems.append(Problem("thiếu thông tin đơn vị", file=str(file), field="unit"))
        if header.year is None:
            problems.append(Problem("thiếu năm đánh giá", file=str(file), field="year"))
    reports = [p for p in parts if p.part.report is not None]
    if len(reports) > 1:
        names = ", ".join(str(p.path) for p in reports)
        problems.append(Problem(f"phần 'report' chỉ được khai báo trong một tệp, đang có ở: {names}", file=str(root)))
    catalogues = {p.part.catalogue for p in parts if p.part.catalogue}
    if len(catalogues) > 1:
        problems.append(
            Problem(
                f"các tệp khai báo danh mục khác nhau: {', '.join(sorted(catalogues))}",
                file=str(root),
                field="catalogue",
            )
        )
    load_problems = [problem for p in parts for problem in p.problems]
    if problems:
        raise InputError([*(p.problem for p in load_problems), *problems])

    header = headers[0]
    merged: dict[str, list[Any]] = {s: [] for s in SECTIONS}
    origins: dict[tuple[str, int], Origin] = {}
    for loaded in parts:
        for section in SECTIONS:
            for index, record in enumerate(getattr(loaded.part, section)):
                origins[(section, len(merged[section]))] = loaded.origin(section, index)
                merged[section].append(record)
    bundle = Bundle(
        unit=header.part.unit,
        year=header.part.year,
        catalogue=next(iter(catalogues), None),
        report=reports[0].part.report if reports else None,
        files=[str(p.path) for p in parts],
        root=str(root),
        **merged,
    )
    bundle.attach_provenance(origins, header.header_origins, load_problems)
    return bundle
