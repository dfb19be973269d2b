"""Load a catalogue file, validate it and verify its declared totals."""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal
from pathlib import Path

from par_score.catalogue.index import CatalogueIndex
from par_score.catalogue.model import Catalogue
from par_score.errors import CatalogueError, InputError, Problem
from par_score.io.readers import parse_structured, read_bytes_limited
from par_score.io.resources import bundled_dir
from par_score.io.validation import validated
from par_score.numbers import vn
from par_score.rules.conditions import Condition
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
    catalogue = validated(Catalogue, raw, str(path), CatalogueError)
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

    leaf_keys = Counter(use.key for e in index.leaves for use in e.uses if use.key[0] != "document")
    for key, count in leaf_keys.items():
        if count > 1:
            problems.append(
                Problem(
                    f"chỉ số '{key[1]}' được {count} tiêu chí dùng; mỗi chỉ số/mục điều tra chỉ gắn với một tiêu chí",
                    file,
                    None,
                    "input",
                )
            )

    def check(label: str, declared, leaves, field: str = "declared_totals") -> None:
        sums = {
            source.value: sum((e.leaf.max for e in leaves if e.leaf.source == source), Decimal(0)) for source in Source
        }
        sums["all"] = sum(sums.values(), Decimal(0))
        for key, attr in (("self", "self_"), ("statistics", "statistics"), ("survey", "survey"), ("all", "all")):
            expected = getattr(declared, attr)
            if sums[key] != expected:
                problems.append(
                    Problem(
                        f"tổng điểm các tiêu chí ({key}) là {vn(sums[key])}, khác tổng khai báo {vn(expected)}",
                        file,
                        label,
                        f"{field}.{key}",
                    )
                )

    for area in catalogue.areas:
        check(f"lĩnh vực {area.code}", area.declared_totals, [e for e in index.leaves if e.area.code == area.code])
    check("danh mục", catalogue.declared_totals, index.leaves)
    problems += _check_profiles(index, file, check)
    problems += _check_items(index, file)
    problems += _check_ratings(catalogue.ratings, file)
    problems += _check_clusters(index, file)
    return problems


def _unique(values: list[str], what: str, file: str, label: str, field: str) -> list[Problem]:
    return [
        Problem(f"{what} '{value}' xuất hiện {count} lần; mỗi {what} phải duy nhất", file, label, field)
        for value, count in Counter(values).items()
        if count > 1
    ]


def _check_profiles(index: CatalogueIndex, file: str, check) -> list[Problem]:
    """Every excluded code exists; each profile's leaves add up to its own declared totals."""
    profiles = index.catalogue.profiles or []
    problems = _unique([p.id for p in profiles], "mã loại đơn vị", file, "profiles", "id")
    for n, profile in enumerate(profiles):
        label = f"loại đơn vị {profile.id}"
        for code in profile.excludes:
            if code not in index.node_codes:
                problems.append(Problem(f"mã '{code}' trong excludes không có trong danh mục", file, label, "excludes"))
        excluded = index.excluded(profile.id)
        before = len(problems)
        check(label, profile.declared_totals, [e for e in index.leaves if e.code not in excluded], "declared_totals")
        if len(problems) == before and not any(e.code not in excluded for e in index.leaves):
            problems.append(Problem("loại đơn vị loại bỏ mọi tiêu chí", file, label, f"profiles[{n}].excludes"))
    return problems


def _check_items(index: CatalogueIndex, file: str) -> list[Problem]:
    """Bonus and deduction codes unique; a deduction targets an area or a TC; an item's input is its own, except that
    a bonus item may read again what a leaf reads (the figure is entered once)."""
    catalogue = index.catalogue
    problems: list[Problem] = []
    codes = [i.code for i in index.items]
    problems += _unique(codes, "mã điểm thưởng/điểm trừ", file, "bonus/deductions", "code")
    tree = {a.code for a in catalogue.areas} | {c.code for a in catalogue.areas for c in a.criteria}
    for item in catalogue.deductions or []:
        if item.applies_to != "total" and item.applies_to not in tree:
            problems.append(
                Problem(
                    f"'{item.applies_to}' không phải mã lĩnh vực hay tiêu chí của danh mục (hoặc 'total')",
                    file,
                    f"điểm trừ {item.code}",
                    "applies_to",
                )
            )
    for entry in index.items:
        for use in entry.uses:
            others = [u for u in index.uses.get(use.key, []) if u.owner is not entry]
            shared_with_leaf = all(not hasattr(u.owner, "role") for u in others)
            if others and (entry.role == "deduction" or not shared_with_leaf) and use.key[0] != "document":
                problems.append(
                    Problem(
                        f"chỉ số '{use.key[1]}' đã được dùng ở nơi khác; mỗi khoản điểm trừ đọc một chỉ số riêng, "
                        "điểm thưởng chỉ được đọc lại chỉ số của một tiêu chí",
                        file,
                        f"{'điểm thưởng' if entry.role == 'bonus' else 'điểm trừ'} {entry.code}",
                        "input",
                    )
                )
    return problems


def _check_ratings(ratings, file: str) -> list[Problem]:
    """Band ids unique; every index ≥ 0 falls in some band."""
    if ratings is None:
        return []
    problems = _unique([b.id for b in ratings.bands], "mã xếp loại", file, "ratings", "id")
    thresholds = sorted({b.threshold for b in ratings.bands if b.threshold >= 0} | {Decimal(0)})
    probes = [*thresholds, thresholds[-1] + 1]
    probes += [(a + b) / 2 for a, b in zip(thresholds, thresholds[1:], strict=False)]
    for value in sorted(probes):
        if not any(Condition("value", b.operator, b.threshold).holds("value", {"value": value}) for b in ratings.bands):
            problems.append(
                Problem(
                    f"Chỉ số {vn(value)} % không thuộc mức xếp loại nào; mức cuối cùng nên là 'below' hoặc 'min: 0'",
                    file,
                    "ratings",
                    "bands",
                )
            )
            break
    return problems


def _check_clusters(index: CatalogueIndex, file: str) -> list[Problem]:
    """Ids unique; a listed profile exists and is in one cluster; membership is by profile for all or for none."""
    clusters = index.catalogue.clusters or []
    problems = _unique([c.id for c in clusters], "mã khối", file, "clusters", "id")
    listed = [p for c in clusters for p in c.profiles]
    problems += _unique(listed, "loại đơn vị trong các khối", file, "clusters", "profiles")
    for cluster in clusters:
        for profile in cluster.profiles:
            if profile not in index.profiles:
                problems.append(
                    Problem(f"loại đơn vị '{profile}' không có trong profiles", file, f"khối {cluster.id}", "profiles")
                )
    if listed and any(not c.profiles for c in clusters):
        problems.append(
            Problem(
                "khối xếp theo loại đơn vị thì mọi khối phải nêu loại đơn vị (profiles)", file, "clusters", "profiles"
            )
        )
    if listed:
        missing = [p for p in index.profiles if p not in listed]
        if missing:
            problems.append(
                Problem(f"loại đơn vị chưa thuộc khối nào: {', '.join(missing)}", file, "clusters", "profiles")
            )
    if index.catalogue.ranking is not None and not clusters:
        problems.append(
            Problem("xếp hạng trong khối (ranking) cần khai báo các khối (clusters)", file, "ranking", "within")
        )
    return problems
