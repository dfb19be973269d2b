"""Fuzzing valid bundles into broken ones (drop, duplicate, retype, mangle fields; random bytes in the file).

Every case ends either in a result that satisfies every scoring invariant, or in a clean ParScoreError whose problems
name at least the file; never in any other exception. The outcome counts are printed at the end of the run.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
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
from par_score.testing.synthetic import synthetic_bundle

CATALOGUE = load_catalogue()
SCORER = Scorer(CATALOGUE)
BASES = [
    synthetic_bundle(CATALOGUE, random.Random(seed), seed + 1, survey_share=share)
    for seed, share in ((0, 0.0), (1, 0.5), (2, 1.0))
]
NO_POINTS = {"survey_pending", "not_applicable_excluded", "out_of_scope"}

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


def check_invariants(result: ScoreResult) -> None:
    leaves = {leaf.code: leaf for leaf in result.criteria}
    assert len(leaves) == len(CATALOGUE.leaves)
    for leaf in result.criteria:
        entry = CATALOGUE.by_code[leaf.code]
        assert leaf.max == entry.leaf.max
        if leaf.points is None:
            assert leaf.status in NO_POINTS, (leaf.code, leaf.status)
        else:
            assert ZERO <= leaf.points <= leaf.max, (leaf.code, leaf.points)
        assert leaf.applicable == (leaf.status not in ("not_applicable_excluded", "out_of_scope"))

    def self_sums(codes: list[str]) -> tuple[Decimal, Decimal, Decimal]:
        own = [leaves[c] for c in codes if leaves[c].source == "self" and leaves[c].applicable]
        declared = sum((leaves[c].max for c in codes if leaves[c].status != "out_of_scope"), ZERO)
        return sum((x.points or ZERO for x in own), ZERO), sum((x.max for x in own), ZERO), declared

    for area, area_out in zip(CATALOGUE.catalogue.areas, result.areas, strict=False):
        area_codes: list[str] = []
        for criterion, node in zip(area.criteria, area_out.criteria, strict=False):
            codes = [i.code for i in criterion.items] if criterion.items else [criterion.code]
            area_codes += codes
            points, maximum, declared = self_sums(codes)
            assert (node.self_points, node.self_max, node.declared_max) == (points, maximum, declared), node.code
            assert node.self_max <= node.declared_max
            assert node.pct == pct(node.points, node.max)
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
    assert (
        ZERO
        <= totals.self_.points
        <= totals.self_.max
        <= totals.self_.declared_max
        == CATALOGUE.catalogue.declared_totals.self_
    )
    assert totals.self_pct == pct(totals.self_.points, totals.self_.max)
    if totals.index_points is not None:
        survey = sum((leaf.points for leaf in result.criteria if leaf.source == "survey"), ZERO)
        assert totals.index_points == totals.self_.points + survey
        assert ZERO <= totals.index_pct <= HUNDRED
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
SECTIONS = ("documents", "metrics", "not_applicable", "survey", "explanations")


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
