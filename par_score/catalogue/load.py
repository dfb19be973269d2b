"""Load a catalogue file, validate it and verify its declared totals."""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from par_score.catalogue.index import CatalogueIndex
from par_score.catalogue.model import Catalogue
from par_score.errors import CatalogueError, InputError, Problem
from par_score.io.readers import parse_structured, read_bytes_limited
from par_score.io.resources import bundled_dir
from par_score.io.validation import problems_from
from par_score.numbers import vn
from par_score.vocabulary import Source

DEFAULT_CATALOGUE_ID = "par-tinh-tham-chieu-2024"


def bundled_catalogues() -> dict[str, Path]:
    """Catalogue files shipped with par_score, by file stem (which is also their id)."""
    folder = bundled_dir("criteria")
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def resolve(reference: str | Path | None) -> Path:
    """A catalogue id of a bundled catalogue, or a path to a catalogue file."""
    if reference is None:
        reference = DEFAULT_CATALOGUE_ID
    path = Path(reference)
    if path.suffix.lower() in (".yaml", ".yml", ".json") or path.exists():
        if not path.is_file():
            raise CatalogueError(Problem("không tìm thấy tệp danh mục tiêu chí", file=str(path)))
        return path
    known = bundled_catalogues()
    if str(reference) not in known:
        names = ", ".join(known) or "(không có)"
        raise CatalogueError(f"Không có danh mục tiêu chí '{reference}'. Danh mục có sẵn: {names}.")
    return known[str(reference)]


def load_catalogue(reference: str | Path | None = None) -> CatalogueIndex:
    path = resolve(reference)
    try:
        data = read_bytes_limited(path)
        raw = parse_structured(path, data)
    except InputError as exc:
        raise CatalogueError(exc.problems) from None
    sha256 = hashlib.sha256(data).hexdigest()  # the very bytes that were parsed
    if not isinstance(raw, dict):
        raise CatalogueError(Problem("danh mục phải là một bản ghi (khóa: giá trị)", file=str(path)))
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as exc:
        raise CatalogueError(problems_from(exc, raw, str(path))) from None
    index = CatalogueIndex.build(catalogue, path=path, sha256=sha256)
    problems = check_structure(index, str(path))
    if problems:
        raise CatalogueError(problems)
    return index


def check_structure(index: CatalogueIndex, file: str) -> list[Problem]:
    """Codes unique and nested; inputs unique; leaves add up to every declared total."""
    problems: list[Problem] = []
    catalogue = index.catalogue
    codes = Counter([a.code for a in catalogue.areas])
    for area in catalogue.areas:
        for criterion in area.criteria:
            codes[criterion.code] += 1
            if not criterion.code.startswith(area.code + "."):
                problems.append(
                    Problem(
                        f"mã '{criterion.code}' phải bắt đầu bằng mã lĩnh vực '{area.code}.'",
                        file,
                        f"tiêu chí {criterion.code}",
                        "code",
                    )
                )
            for leaf in criterion.items or []:
                codes[leaf.code] += 1
                if not leaf.code.startswith(criterion.code + "."):
                    problems.append(
                        Problem(
                            f"mã '{leaf.code}' phải bắt đầu bằng mã tiêu chí '{criterion.code}.'",
                            file,
                            f"tiêu chí {leaf.code}",
                            "code",
                        )
                    )
    for code, count in codes.items():
        if count > 1:
            problems.append(
                Problem(f"mã '{code}' xuất hiện {count} lần; mỗi mã phải duy nhất", file, f"tiêu chí {code}", "code")
            )

    inputs = Counter(e.input_key for e in index.leaves if e.input_key[0] != "document")
    for key, count in inputs.items():
        if count > 1:
            problems.append(
                Problem(
                    f"chỉ số '{key[1]}' được {count} tiêu chí dùng; mỗi chỉ số/mục điều tra chỉ gắn với một tiêu chí",
                    file,
                    None,
                    "input",
                )
            )

    def check(label: str, declared, leaves) -> None:
        sums = {
            "self": sum((e.leaf.max for e in leaves if e.leaf.source == Source.SELF), Decimal(0)),
            "survey": sum((e.leaf.max for e in leaves if e.leaf.source == Source.SURVEY), Decimal(0)),
        }
        sums["all"] = sums["self"] + sums["survey"]
        for key, attr in (("self", "self_"), ("survey", "survey"), ("all", "all")):
            expected = getattr(declared, attr)
            if sums[key] != expected:
                problems.append(
                    Problem(
                        f"tổng điểm các tiêu chí ({key}) là {vn(sums[key])}, khác tổng khai báo {vn(expected)}",
                        file,
                        label,
                        f"declared_totals.{key}",
                    )
                )

    for area in catalogue.areas:
        check(f"lĩnh vực {area.code}", area.declared_totals, [e for e in index.leaves if e.area.code == area.code])
    check("danh mục", catalogue.declared_totals, index.leaves)
    return problems
