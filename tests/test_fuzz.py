"""Fuzzing valid bundles into broken ones (drop, duplicate, retype, mangle fields; random bytes in the file), and
valid workbooks into hostile ones (renamed parts, other encodings, DTDs, sparse wide rows, shared strings, corrupt
members).

Every case ends either in a result that satisfies every scoring invariant, or in a clean ParScoreError whose problems
name at least the file; never in any other exception. The outcome counts are printed at the end of the run.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import random
import re
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import fuzzstats
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from par_score.catalogue import load_catalogue
from par_score.errors import ParScoreError
from par_score.evidence import load_bundle
from par_score.numbers import HUNDRED, ZERO, round_half_up
from par_score.scoring.result import ScoreResult
from par_score.scoring.scorer import Scorer
from par_score.testing import workbooks
from par_score.testing.synthetic import synthetic_bundle

CATALOGUE = load_catalogue()
SCORER = Scorer(CATALOGUE)
BASES = [
    synthetic_bundle(CATALOGUE, random.Random(seed), seed + 1, survey_share=share)
    for seed, share in ((0, 0.0), (1, 0.5), (2, 1.0))
]
NO_POINTS = {"survey_pending", "not_applicable_excluded", "out_of_scope", "statistics_pending", "not_for_profile"}
NOT_COUNTED = ("out_of_scope", "not_for_profile")
OWN_INDEXES = [load_catalogue("chi-so-cchc-so-tham-chieu-2026"), load_catalogue("chi-so-cchc-xa-tham-chieu-2026")]
OWN_SCORERS = {index.id: Scorer(index) for index in OWN_INDEXES}
OWN_BASES = [
    (index, synthetic_bundle(index, random.Random(seed), seed + 1, survey_share=0.9))
    for index in OWN_INDEXES
    for seed in range(3)
]

FUZZ = settings(
    max_examples=300,
    deadline=dt.timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    print_blob=True,
)

ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1,
    10**15,
    -(10**20),
    2**70,
    "",
    " ",
    "0",
    "-5",
    "1e999999",
    "1e-999999999",
    "NaN",
    "Infinity",
    "abc",
    "2024-02-30",
    "2019-01-01",
    "2024-06-01",
    "9.9.9",
    "../../etc/passwd",
    "/etc/passwd",
    "<script>x</script>",
    "{{ 7*7 }}",
    "Tie\u0302\u0301ng Vie\u0323t",
    "\u202e",
    "x" * 5000,
    [],
    [1, "a"],
    {},
    {"a": {"b": "c"}},
    Decimal("0.5"),
    Decimal("-0.01"),
    Decimal("123456789.123456789"),
    1.5,
    dt.date(2024, 5, 1),
]


# ---- invariants ---------------------------------------------------------------------------------------------------
def pct(points: Decimal | None, maximum: Decimal | None) -> Decimal | None:
    if points is None or not maximum:
        return None
    return round_half_up(points / maximum * HUNDRED)


def check_invariants(result: ScoreResult, index=CATALOGUE) -> None:
    leaves = {leaf.code: leaf for leaf in result.criteria}
    assert len(leaves) == len(index.leaves)
    for leaf in result.criteria:
        entry = index.by_code[leaf.code]
        assert leaf.max == entry.leaf.max
        if leaf.points is None:
            assert leaf.status in NO_POINTS, (leaf.code, leaf.status)
        else:
            assert ZERO <= leaf.points <= leaf.max, (leaf.code, leaf.points)
        assert leaf.applicable == (leaf.status not in ("not_applicable_excluded", *NOT_COUNTED))

    def self_sums(codes: list[str]) -> tuple[Decimal, Decimal, Decimal]:
        own = [leaves[c] for c in codes if leaves[c].source == "self" and leaves[c].applicable]
        declared = sum((leaves[c].max for c in codes if leaves[c].status not in NOT_COUNTED), ZERO)
        return sum((x.points or ZERO for x in own), ZERO), sum((x.max for x in own), ZERO), declared

    for area, area_out in zip(index.catalogue.areas, result.areas, strict=False):
        area_codes: list[str] = []
        for criterion, node in zip(area.criteria, area_out.criteria, strict=False):
            codes = [i.code for i in criterion.items] if criterion.items else [criterion.code]
            area_codes += codes
            points, maximum, declared = self_sums(codes)
            assert (node.self_points, node.self_max, node.declared_max) == (points, maximum, declared), node.code
            assert node.self_max <= node.declared_max
            assert node.pct == pct(node.points, node.max)
            assert ZERO <= node.points
        points, maximum, declared = self_sums(area_codes)
        assert (area_out.self_points, area_out.self_max, area_out.declared_max) == (points, maximum, declared), (
            area.code
        )
        assert area_out.self_points == sum((n.self_points for n in area_out.criteria), ZERO)
        assert area_out.self_max <= area_out.declared_max

    totals = result.totals
    points, maximum, _ = self_sums(list(leaves))
    assert totals.self_.points == points == sum((a.self_points for a in result.areas), ZERO)
    assert totals.self_.max == maximum == sum((a.self_max for a in result.areas), ZERO)
    profile = result.unit.profile
    declared = index.profiles[profile].declared_totals if profile else index.catalogue.declared_totals
    assert ZERO <= totals.self_.points <= totals.self_.max <= totals.self_.declared_max == declared.self_
    assert totals.self_pct == pct(totals.self_.points, totals.self_.max)
    if totals.index_points is not None:
        parts = sum(
            (
                leaf.points or ZERO
                for leaf in result.criteria
                if leaf.source != "self" and leaf.status not in NOT_COUNTED
            ),
            ZERO,
        )
        assert totals.index_points == totals.self_.points + parts - (totals.deducted or ZERO)
        bonus = index.catalogue.bonus
        ceiling = HUNDRED + (bonus.cap if bonus is not None and bonus.allow_above_max else ZERO)
        assert ZERO <= totals.index_pct <= ceiling
    assert ScoreResult.model_validate(json.loads(result.to_json())).to_json() == result.to_json()


# ---- mutations ------------------------------------------------------------------------------------------------------
def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += paths(value, prefix + (i,))
    return found


def parent_of(data: Any, path: tuple) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


FIGURES = ("numerator", "denominator", "percent", "value")
SECTIONS = ("documents", "metrics", "not_applicable", "survey", "explanations", "statistics")


def vary_figures(data: dict, draw) -> None:
    """Valid-looking new figures: most cases still score, and the invariants are checked on them."""
    for metric in data.get("metrics", []):
        if not isinstance(metric, dict) or not draw(st.booleans()):
            continue
        if "denominator" in metric:
            denominator = draw(st.integers(1, 10**6))
            metric["denominator"] = denominator
            metric["numerator"] = draw(st.integers(0, denominator))
        elif "percent" in metric:
            metric["percent"] = str(draw(st.decimals(0, 100, places=2, allow_nan=False, allow_infinity=False)))
        elif "value" in metric:
            metric["value"] = draw(st.integers(0, 12))
    for result in data.get("survey", []):
        if isinstance(result, dict) and "percent" in result:
            result["percent"] = str(draw(st.decimals(0, 100, places=3, allow_nan=False, allow_infinity=False)))


def mutate(data: dict, draw) -> str:
    kind = draw(st.sampled_from(["drop", "drop-record", "duplicate", "retype", "mangle", "figures"]))
    if kind == "figures":
        vary_figures(data, draw)
        return kind
    if kind == "drop-record":
        section = draw(st.sampled_from([s for s in SECTIONS if data.get(s)] or ["documents"]))
        if data.get(section):
            del data[section][draw(st.integers(0, len(data[section]) - 1))]
        return kind
    target = draw(st.sampled_from(paths(data)))
    parent, key = parent_of(data, target), target[-1]
    if kind == "drop":
        del parent[key]
    elif kind == "duplicate":
        if isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        else:
            parent[key] = [parent[key], copy.deepcopy(parent[key])]
    elif kind == "retype":
        parent[key] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
    else:
        value = parent[key]
        if isinstance(value, str):
            how = draw(st.sampled_from(["nfd", "html", "cut", "chars", "other-id"]))
            if how == "nfd":
                parent[key] = unicodedata.normalize("NFD", value)
            elif how == "html":
                parent[key] = f"<b>{value}</b>{{{{ x }}}}"
            elif how == "cut":
                parent[key] = value[: len(value) // 2]
            elif how == "chars":
                parent[key] = value + draw(st.text(min_size=1, max_size=8))
            else:
                ids = [
                    d["id"] for d in data.get("documents", []) if isinstance(d, dict) and isinstance(d.get("id"), str)
                ]
                parent[key] = draw(st.sampled_from(ids)) if ids else value
        elif isinstance(value, bool):
            parent[key] = not value
        elif isinstance(value, int):
            parent[key] = value + draw(st.sampled_from([-(10**6), -1, 1, 1000, 10**13]))
        else:
            parent[key] = draw(st.sampled_from(ODD_VALUES))
    return kind


def serialise(data: Any, suffix: str) -> bytes:
    def plain(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    if suffix == ".json":
        return json.dumps(plain(data), ensure_ascii=False).encode("utf-8")
    return yaml.safe_dump(plain(data), allow_unicode=True, sort_keys=False).encode("utf-8")


def scramble(raw: bytes, draw) -> bytes:
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, max(0, len(data) - 1)))
        how = draw(st.sampled_from(["set", "insert", "delete", "truncate"]))
        byte = draw(st.integers(0, 255))
        if how == "set" and data:
            data[position] = byte
        elif how == "insert":
            data.insert(position, byte)
        elif how == "delete" and data:
            del data[position]
        elif how == "truncate":
            del data[position:]
    return bytes(data)


# ---- the property -------------------------------------------------------------------------------------------------
@FUZZ
@given(st.data())
def test_mutated_bundles_score_with_invariants_or_fail_cleanly(data):
    bundle = copy.deepcopy(data.draw(st.sampled_from(BASES)))
    suffix = data.draw(st.sampled_from([".yaml", ".json"]))
    kinds = [mutate(bundle, data.draw) for _ in range(data.draw(st.integers(1, 3)))]
    raw = serialise(bundle, suffix)
    if data.draw(st.integers(0, 4)) == 0:
        raw = scramble(raw, data.draw)
        kinds.append("bytes")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bo{suffix}"
        path.write_bytes(raw)
        try:
            result = SCORER.score(load_bundle(path))
        except ParScoreError as exc:
            assert exc.problems, kinds
            for problem in exc.problems:
                assert problem.message and problem.file, (kinds, problem)
                assert problem.render().startswith("Tệp '"), problem.render()
            fuzzstats.record("refused (ParScoreError, located)")
            return
    check_invariants(result)
    fuzzstats.record("scored (invariants hold)")


def test_the_unmutated_bases_score_and_hold_every_invariant():
    for base in BASES:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bo.json"
            path.write_bytes(serialise(base, ".json"))
            check_invariants(SCORER.score(load_bundle(path)))


@settings(FUZZ, max_examples=120)
@given(st.data())
def test_mutated_bundles_of_a_province_own_index_score_or_fail_cleanly(data):
    """The same, on bundles for the sở and xã catalogues: profiles, statistics, composite criteria, bonus, deductions."""
    index, base = data.draw(st.sampled_from(OWN_BASES))
    bundle = copy.deepcopy(base)
    kinds = [mutate(bundle, data.draw) for _ in range(data.draw(st.integers(1, 3)))]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bo.yaml"
        path.write_bytes(serialise(bundle, ".yaml"))
        try:
            result = OWN_SCORERS[index.id].score(load_bundle(path))
        except ParScoreError as exc:
            assert exc.problems, kinds
            for problem in exc.problems:
                assert problem.message and problem.file, (kinds, problem)
            fuzzstats.record("refused (ParScoreError, located)")
            return
    check_invariants(result, index)
    fuzzstats.record("scored (invariants hold)")


def test_the_unmutated_own_index_bases_hold_every_invariant():
    for index, base in OWN_BASES:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bo.json"
            path.write_bytes(serialise(base, ".json"))
            check_invariants(OWN_SCORERS[index.id].score(load_bundle(path)), index)


# ---- workbooks: the package mutated (renamed parts, encodings, DTDs, sparse wide rows, shared strings, corruption)
WORKBOOK_FUZZ = settings(
    max_examples=80,
    deadline=dt.timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
XML_PART = re.compile(r".*\.(xml|rels|vml)$")


@functools.lru_cache(maxsize=1)
def filled_workbook() -> bytes:
    """The bundled Tiền Giang example in the evidence template (built once, on first use)."""
    from test_excel import fill_workbook

    from par_score.io.resources import bundled_dir
    from par_score.outputs.excel.evidence_template import template_bytes

    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "mau.xlsx"
        template.write_bytes(template_bytes(CATALOGUE, None))
        bundle = load_bundle(bundled_dir("evidence") / "examples" / "tien-giang-2024.yaml")
        return fill_workbook(template, bundle, Path(folder) / "tien-giang.xlsx").read_bytes()


def mutate_workbook(parts: dict[str, bytes], draw) -> str:
    xml_parts = sorted(n for n in parts if XML_PART.match(n))
    sheets = workbooks.sheet_parts(parts)
    kind = draw(st.sampled_from(["rename", "utf16", "dtd", "sparse", "far-row", "shared", "delete", "cell", "noise"]))
    if kind == "rename" and xml_parts:
        old = draw(st.sampled_from(xml_parts))
        stem = old.rsplit(".", 1)[0]
        new = stem + draw(st.sampled_from([".bin", ".XML", ".Xml", ".dat", ""]))
        if new not in parts and not old.endswith(".rels") and old != "[Content_Types].xml":
            workbooks.rename_part(parts, old, new)
    elif kind == "utf16" and xml_parts:
        name = draw(st.sampled_from(xml_parts))
        bom, big_endian = draw(st.booleans()), draw(st.booleans())
        try:
            parts[name] = workbooks.in_utf16(parts[name], bom=bom, big_endian=big_endian)
        except UnicodeDecodeError:  # not UTF-8 (already re-encoded, or scrambled): left as it is
            pass
    elif kind == "dtd" and sheets:
        name = draw(st.sampled_from(sheets))
        parts[name] = workbooks.with_doctype(parts[name], entity_chars=draw(st.integers(1, 50)), references=3)
        return "dtd"
    elif kind == "sparse" and sheets:
        name = draw(st.sampled_from(sheets))
        column = workbooks.column_letter(draw(st.integers(1, 16_384)))
        parts[name] = workbooks.sparse_wide_rows(
            parts[name], draw(st.integers(1, 50)), column=column, first=draw(st.integers(300, 5_000))
        )
    elif kind == "far-row" and sheets:
        parts[draw(st.sampled_from(sheets))] = workbooks.far_row(
            parts[draw(st.sampled_from(sheets))], draw(st.integers(1, 1_048_576))
        )
    elif kind == "shared" and "xl/sharedStrings.xml" not in parts:
        workbooks.add_shared_strings(
            parts, workbooks.shared_strings(draw(st.integers(1, 2_000)), draw(st.integers(1, 2_000)))
        )
    elif kind == "delete":
        del parts[draw(st.sampled_from(sorted(parts)))]
    elif kind == "cell" and sheets:
        value = draw(st.sampled_from(["\x1b[2J", "\u202e", "1E+999999", "<b>x</b>", "x" * 40_000, "&amp;", "-0"]))
        row = b'<row r="%d"><c r="%s%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (
            draw(st.integers(2, 400)),
            workbooks.column_letter(draw(st.integers(1, 20))).encode(),
            1,
            value.encode("utf-8").replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b"\x1b", b"_x001B_"),
        )
        name = draw(st.sampled_from(sheets))
        parts[name] = parts[name].replace(b"</sheetData>", row + b"</sheetData>", 1)
    elif kind == "noise" and xml_parts:
        name = draw(st.sampled_from(xml_parts))
        parts[name] = scramble(parts[name], draw)
    return kind


@WORKBOOK_FUZZ
@given(st.data())
def test_mutated_workbooks_score_with_invariants_or_fail_cleanly(data):
    parts = workbooks.parts_of(filled_workbook())
    kinds = [mutate_workbook(parts, data.draw) for _ in range(data.draw(st.integers(1, 3)))]
    raw = workbooks.package(parts)
    if data.draw(st.integers(0, 5)) == 0:
        member = data.draw(st.sampled_from(sorted(parts)))
        raw = workbooks.corrupt_member(raw, member) if len(parts[member]) > 200 else raw[: len(raw) // 2]
        kinds.append("corrupt")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bo.xlsx"
        path.write_bytes(raw)
        try:
            result = SCORER.score(load_bundle(path))
        except ParScoreError as exc:
            assert exc.problems, kinds
            for problem in exc.problems:
                assert problem.message and problem.file == str(path), (kinds, problem)
            fuzzstats.record("workbook refused (ParScoreError, located)")
            return
    assert "dtd" not in kinds, "a DOCTYPE got through"
    check_invariants(result)
    fuzzstats.record("workbook scored (invariants hold)")


def test_the_unmutated_workbook_scores_and_holds_every_invariant():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bo.xlsx"
        path.write_bytes(workbooks.package(workbooks.parts_of(filled_workbook())))
        check_invariants(SCORER.score(load_bundle(path)))
