"""The improvement planner end to end: on random bundles and every scale kind, every option, alternative and missed
band, applied to the evidence from plan.json's data and re-scored on its own, gives exactly its points; nothing is
proposed for a leaf at its maximum or with a deadline before the plan's date; the target selection is the smallest
(checked by brute force); the plan reads the same through the API, the command line, JSON and the workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from clirun import run_main
from conftest import bundle_from
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_checks import check_plan

import par_score
from par_score.errors import EngineError, InputError
from par_score.io.resources import bundled_dir
from par_score.planning import Plan, make_plan, parse_target
from par_score.planning.responsibility import co_agencies
from par_score.planning.select import Choice, best_of_each, smallest_set
from par_score.planning.view import EXPLAIN, MISSED, TODO, plan_view
from par_score.scales import KINDS, binary
from par_score.scoring.pipeline import score_bundle
from par_score.testing.synthetic import synthetic_bundle

sys.path.insert(0, str(Path(__file__).parent / "scales"))
from kinds import mixed_catalogue, one_leaf_catalogue
from test_registry import BUNDLE, CATALOGUE, NEW_KIND, ROOT

D = Decimal
EXAMPLES = bundled_dir("evidence") / "examples"
TIEN_GIANG = EXAMPLES / "tien-giang-2024.yaml"
TAY_NINH = EXAMPLES / "tay-ninh-2024"
SLOW = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def days(index):
    """Plan dates from a month before the evidence window opens to a month after it closes."""
    first, last = index.catalogue.evidence_window.dates(index.year)
    span = (last - first).days + 60
    return st.integers(0, span).map(lambda n: first - dt.timedelta(days=30) + dt.timedelta(days=n))


def run_of(index, seed: int):
    data = synthetic_bundle(index, random.Random(seed), survey_share=0.5)
    return score_bundle(bundle_from(data), index)


# ---- random bundles of the reference catalogue ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reference(catalogue):
    return catalogue


@SLOW
@given(seed=st.integers(0, 10**6), data=st.data())
def test_every_option_of_a_random_bundle_re_scores_to_its_points(reference, seed, data):
    as_of = data.draw(days(reference))
    run = run_of(reference, seed)
    # A target in points is at most the applicable maximum (a larger one is refused as a user error).
    top = int(run.result.totals.self_.max)
    target = data.draw(st.one_of(st.none(), st.integers(50, top).map(str), st.integers(80, 100).map(lambda p: f"{p}%")))
    plan = make_plan(run, as_of=as_of, target=target)
    check_plan(run, plan)
    assert plan.attainable.points >= plan.current.points
    if plan.target is not None and plan.target.reachable:
        assert plan.target.after.points >= plan.target.points


# ---- every scale kind --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_plans_random_evidence_exactly(tmp_path_factory, kind):
    index = one_leaf_catalogue(tmp_path_factory.mktemp(kind), kind)

    @settings(max_examples=25, deadline=None)
    @given(seed=st.integers(0, 10**6), as_of=days(index))
    def check(seed, as_of):
        run = run_of(index, seed)
        check_plan(run, make_plan(run, as_of=as_of))

    check()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_later_date_never_attains_more(tmp_path_factory, kind):
    """A deadline missed stays missed: as of a later date the best attainable score is never higher, and every
    change proposed is still ahead of that date."""
    index = one_leaf_catalogue(tmp_path_factory.mktemp(kind), kind)

    @settings(max_examples=15, deadline=None)
    @given(seed=st.integers(0, 10**6), first=days(index), second=days(index))
    def check(seed, first, second):
        early, late = sorted((first, second))
        run = run_of(index, seed)
        sooner = make_plan(run, as_of=early)
        later = make_plan(run, as_of=late)
        assert later.attainable.points <= sooner.attainable.points
        assert all(c.by >= late for o in later.options() for c in o.changes)

    check()


# ---- the smallest set of changes for a target ---------------------------------------------------------------------------
def brute_force(groups, needed):
    """The fewest changes reaching `needed`, and the largest gain with that many, over every choice."""
    best = None
    for picks in itertools.product(*[[None, *range(len(g))] for g in groups]):
        size = sum(groups[g][o].size for g, o in enumerate(picks) if o is not None)
        gain = sum((groups[g][o].gain for g, o in enumerate(picks) if o is not None), D(0))
        if gain >= needed and (best is None or (size, -gain) < (best[0], -best[1])):
            best = (size, gain)
    return best


choice = st.builds(Choice, size=st.integers(1, 3), gain=st.integers(1, 40).map(lambda n: D(n) / 4))


@settings(max_examples=300, deadline=None)
@given(groups=st.lists(st.lists(choice, max_size=3), max_size=6), needed=st.integers(-2, 60).map(lambda n: D(n) / 4))
def test_the_selection_is_the_smallest_set_reaching_the_target(groups, needed):
    picks = smallest_set(groups, needed)
    expected = brute_force(groups, needed) if needed > 0 else (0, D(0))
    if expected is None:
        assert picks is None
        return
    assert picks is not None and len({g for g, _ in picks}) == len(picks)  # one option per group
    size = sum(groups[g][o].size for g, o in picks)
    gain = sum((groups[g][o].gain for g, o in picks), D(0))
    assert (size, gain) == expected


def test_the_best_of_each_group_is_its_largest_gain_then_fewest_changes():
    groups = [[Choice(2, D(1)), Choice(1, D(1)), Choice(1, D("0.5"))], [], [Choice(3, D(2))]]
    assert best_of_each(groups) == [(0, 1), (2, 0)]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    kinds = ["deadline", "periodic", "ratio_bands", "count", "proportional", "binary", "value_bands"]
    return mixed_catalogue(tmp_path_factory.mktemp("mixed"), kinds)


@SLOW
@given(seed=st.integers(0, 10**6), data=st.data())
def test_a_target_plan_is_minimal_on_a_small_catalogue_by_brute_force(mixed, seed, data):
    as_of = data.draw(days(mixed))
    run = run_of(mixed, seed)
    maximum = run.result.totals.self_.max
    target = data.draw(st.integers(1, int(maximum * 4)).map(lambda n: str(D(n) / 4)))
    plan = make_plan(run, as_of=as_of, target=target)
    check_plan(run, plan)
    groups = [[Choice(o.size, o.gain) for o in leaf.options] for a in plan.agencies for leaf in a.leaves]
    expected = brute_force(groups, plan.target.needed) if plan.target.needed > 0 else (0, D(0))
    if expected is None:
        assert not plan.target.reachable
        assert plan.target.after == plan.attainable
        assert "Không thể đạt mục tiêu" in plan.target.statement
    else:
        assert plan.target.reachable and (plan.target.changes, plan.target.gain) == expected


# ---- the examples, the API, JSON, the workbook and the command line --------------------------------------------------
@pytest.fixture(scope="module")
def tien_giang_run():
    return par_score.run_source(TIEN_GIANG)


def test_the_tien_giang_plan_in_october(tien_giang_run):
    plan = par_score.plan(tien_giang_run, target="58", as_of=dt.date(2024, 10, 1))
    check_plan(tien_giang_run, plan)
    assert (plan.current.points, plan.attainable.points) == (D("54.75"), D(59))
    target = plan.target
    assert target.reachable and target.changes == 6 and target.after.points == D(58)
    lines = [o.text for o in plan.options()]
    assert "Gửi báo cáo quý III (đã quá hạn 12/09/2024, tính là trễ hạn) chậm nhất ngày 31/03/2025" in lines
    assert (
        "Tăng số đơn vị tự bảo đảm chi thường xuyên trở lên thêm 58 (từ 71 lên 129) trên 645 (tổng số ĐVSNCL), "
        "để tỷ lệ ≥ 20 %, chậm nhất ngày 31/12/2024"
    ) in lines
    agencies = [a.agency for a in plan.agencies]
    # area 7's agency: Sở Khoa học và Công nghệ since the 2025 merger (the reference catalogue names it)
    assert agencies == ["Sở Nội vụ", "Sở Tư pháp", "Sở Khoa học và Công nghệ", "Sở Tài chính"]
    missing = [leaf for a in plan.agencies for leaf in a.leaves if leaf.explanation_needed]
    assert [leaf.code for leaf in missing] == ["4.3.2", "7.1.3"]  # 2.2.1 has its giải trình already
    assert len(plan.survey) == 9 and all(item.last_known for item in plan.survey)


def test_an_unreachable_target_says_so_with_the_best_attainable(tien_giang_run):
    plan = par_score.plan(tien_giang_run, target="61", as_of=dt.date(2024, 10, 1))
    assert not plan.target.reachable and plan.target.selected == []
    assert plan.target.statement == (
        "Không thể đạt mục tiêu điểm tự đánh giá ≥ 61/61,25: tính đến nay, làm tất cả các việc còn kịp cũng chỉ "
        "đạt 59/61,25 điểm (96,33 %)."
    )


def test_a_target_already_reached_needs_no_change(tien_giang_run):
    plan = par_score.plan(tien_giang_run, target="80%", as_of=dt.date(2024, 10, 1))
    assert plan.target.reached_now and plan.target.selected == [] and plan.target.changes == 0


def test_after_the_evidence_window_nothing_is_left_to_do(tien_giang_run):
    plan = par_score.plan(tien_giang_run, as_of=dt.date(2026, 11, 30))
    check_plan(tien_giang_run, plan)
    assert plan.options() == [] and plan.attainable == plan.current
    assert plan.notes[0].startswith("Thời hạn tính tài liệu kiểm chứng của năm 2024 đã kết thúc ngày 31/03/2025")
    assert all(m.reason for a in plan.agencies for leaf in a.leaves for m in leaf.missed)


def test_an_agency_sees_its_own_criteria_and_its_part_of_the_target(tien_giang_run):
    plan = par_score.plan(tien_giang_run, target="58", as_of=dt.date(2024, 10, 1), agency="sở tài chính")
    assert plan.agency == "Sở Tài chính" and [a.agency for a in plan.agencies] == ["Sở Tài chính"]
    assert {o.leaf for o in plan.options()} == {"6.1.1", "6.3.1", "8.3.5"}
    assert plan.target.changes == 6  # the province's selection; the agency sees its part of it
    assert "Phần việc của Sở Tài chính trong phương án đạt mục tiêu: 2 tiêu chí, +1,25 điểm." in plan_view(plan).summary


def test_an_unknown_agency_is_refused(tien_giang_run):
    with pytest.raises(InputError) as caught:
        par_score.plan(tien_giang_run, agency="Sở Không Có", as_of=dt.date(2024, 10, 1))
    assert "cơ quan 'Sở Không Có' không chủ trì hay phối hợp tiêu chí nào" in caught.value.problems[0].message


@pytest.mark.parametrize(
    "typed, kind, value",
    [
        ("58", "points", "58"),
        ("58,5", "points", "58.5"),
        ("58.5", "points", "58.5"),
        ("95%", "percent", "95"),
        ("95,5 %", "percent", "95.5"),
    ],
)
def test_targets_as_typed(typed, kind, value):
    target = parse_target(typed)
    assert (target.kind, target.value) == (kind, D(value))


@pytest.mark.parametrize("typed", ["abc", "0", "-3", "101%", "1.234,5", "%"])
def test_targets_that_cannot_be_read_are_refused(typed):
    with pytest.raises(InputError) as caught:
        parse_target(typed)
    assert caught.value.problems[0].field == "--target"


def test_a_points_target_above_the_maximum_is_refused(tien_giang_run):
    with pytest.raises(InputError, match="vượt điểm tự đánh giá tối đa"):
        par_score.plan(tien_giang_run, target="70", as_of=dt.date(2024, 10, 1))


def test_the_plan_json_round_trips(tien_giang_run):
    plan = par_score.plan(tien_giang_run, target="95%", as_of=dt.date(2024, 10, 1))
    text = plan.to_json()
    assert Plan.model_validate_json(text) == plan
    data = json.loads(text)
    assert data["format"] == "par-score/plan@1" and data["as_of"] == "2024-10-01"
    assert data["current"]["points"] == "54.75"  # decimals as strings
    assert par_score.plan(tien_giang_run, target="95%", as_of=dt.date(2024, 10, 1)).to_json() == text  # same inputs


def test_co_responsible_agencies_are_read_where_the_catalogue_declares_them():
    lead = SimpleNamespace(
        agency="Sở A", leaf=SimpleNamespace(), criterion=SimpleNamespace(co_agencies=["Sở B", "Sở A"])
    )
    lead.area = SimpleNamespace()
    assert co_agencies(lead) == ("Sở B",)
    bare = SimpleNamespace(agency="Sở A", leaf=SimpleNamespace(), criterion=SimpleNamespace(), area=SimpleNamespace())
    assert co_agencies(bare) == ()


def test_the_view_rows_are_plain_text(tien_giang_run):
    view = plan_view(par_score.plan(tien_giang_run, target="58", as_of=dt.date(2024, 10, 1)))
    assert view.title == "Kế hoạch khắc phục, nâng điểm Chỉ số CCHC năm 2024 — Tỉnh Tiền Giang"
    assert {row.kind for row in view.rows} == {TODO, EXPLAIN, MISSED}
    assert all(isinstance(value, str) for row in view.rows for value in vars(row).values())
    first = view.rows[0]
    assert (first.agency, first.kind, first.code, first.gain, first.in_target) == (
        "Sở Nội vụ",
        TODO,
        "1.5.1",
        "+0,5",
        "có",
    )
    assert [row[0] for row in view.survey] == ["1.7", "2.6", "3.8", "4.5", "5.8", "6.5", "7.6", "8.1", "8.2"]


def test_the_command_prints_writes_json_and_a_workbook(tmp_path):
    out = tmp_path / "ke-hoach.json"
    done = run_main("plan", str(TIEN_GIANG), "--as-of", "01/10/2024", "--target", "58", "--out", str(out))
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert lines[0] == "Kế hoạch khắc phục, nâng điểm Chỉ số CCHC năm 2024 — Tỉnh Tiền Giang"
    assert "━━ Sở Nội vụ — 4 tiêu chí có thể nâng điểm (tối đa +1,75 điểm); 1 giải trình còn thiếu" in lines
    assert any(
        line.strip().startswith("+0,5 điểm  Gửi báo cáo quý III (đã quá hạn 12/09/2024")
        and line.endswith("★ trong phương án đạt mục tiêu")
        for line in lines
    )
    assert "Điều tra xã hội học — do Bộ Nội vụ đánh giá, tỉnh không tự chấm (chỉ để theo dõi):" in lines
    plan = Plan.model_validate_json(out.read_text(encoding="utf-8"))
    assert plan.target.changes == 6

    book = tmp_path / "ke-hoach.xlsx"
    done = run_main("plan", str(TIEN_GIANG), "--as-of", "2024-10-01", "--target", "58", "--out", str(book))
    assert done.code == 0, done.err
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == [
        "Tổng hợp",
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính",
    ]
    sheet = workbook["Sở Nội vụ"]
    assert sheet["A1"].value == "Kế hoạch khắc phục — Sở Nội vụ"
    assert [c.value for c in sheet[4]][:8] == [
        "STT",
        "Mã",
        "Tiêu chí",
        "Điểm hiện tại",
        "Điểm tối đa",
        "Loại",
        "Việc cần làm",
        "Hạn chót",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    first = rows[0]
    assert first[1] == "1.5.1" and first[5] == TODO and first[8] == 0.5 and first[11] == "có"
    assert first[7] == dt.datetime(2024, 12, 31)
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in rows for v in row)
    assert {row[5] for row in rows} == {TODO, EXPLAIN, MISSED}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as-of", "3/4"], "không đúng dạng dd/mm/yyyy"),
        (["--as-of", "31/02/2024"], "không có thật"),
        (["--target", "nhiều"], "không phải số điểm"),
        (["--agency", "Sở Không Có"], "không chủ trì hay phối hợp"),
        (["--out", "ke-hoach.pdf"], "phải có đuôi .json hoặc .xlsx"),
    ],
)
def test_the_command_refuses_bad_options_with_exit_code_2(tmp_path, args, message):
    done = run_main("plan", str(TIEN_GIANG), *[str(tmp_path / a) if a.endswith(".pdf") else a for a in args])
    assert done.code == 2 and message in done.err


def test_an_existing_output_is_kept_without_force(tmp_path):
    out = tmp_path / "ke-hoach.json"
    out.write_text("cũ", encoding="utf-8")
    done = run_main("plan", str(TIEN_GIANG), "--as-of", "01/10/2024", "--out", str(out))
    assert done.code == 2 and out.read_text(encoding="utf-8") == "cũ"
    assert run_main("plan", str(TIEN_GIANG), "--as-of", "01/10/2024", "--out", str(out), "--force").code == 0


# ---- a saved result: planned from the run its manifest records, or refused with the reason ----------------------
def test_a_saved_result_plans_like_its_bundle(tmp_path):
    assert run_main("score", str(TAY_NINH), "--out", str(tmp_path / "kq")).code == 0
    from_result = run_main("plan", str(tmp_path / "kq" / "ket-qua.json"), "--as-of", "15/10/2024")
    from_bundle = run_main("plan", str(TAY_NINH), "--as-of", "15/10/2024")
    assert from_result.code == 0, from_result.err
    assert from_result.out == from_bundle.out


def test_a_saved_result_is_planned_from_any_working_folder(tmp_path, monkeypatch):
    # The manifest records the bundle relative to itself; read from elsewhere, that path is still the manifest's.
    assert run_main("score", str(TAY_NINH), "--out", str(tmp_path / "kq")).code == 0
    expected = run_main("plan", str(TAY_NINH), "--as-of", "15/10/2024").out
    elsewhere = tmp_path / "a" / "b" / "c" / "d" / "e" / "f"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    planned = run_main("plan", str(tmp_path / "kq" / "ket-qua.json"), "--as-of", "15/10/2024")
    assert planned.code == 0, planned.err
    assert planned.out == expected


def test_a_saved_result_without_its_manifest_is_refused(tmp_path):
    assert run_main("score", str(TIEN_GIANG), "--out", str(tmp_path / "kq")).code == 0
    alone = tmp_path / "ket-qua.json"
    alone.write_bytes((tmp_path / "kq" / "ket-qua.json").read_bytes())
    done = run_main("plan", str(alone))
    assert done.code == 2
    assert "không có manifest.json của lần chấm bên cạnh tệp kết quả" in done.err
    assert "kế hoạch cần chính bộ tài liệu kiểm chứng" in done.err


def test_a_saved_result_whose_evidence_changed_is_refused(tmp_path):
    bundle = tmp_path / "tien-giang.yaml"
    bundle.write_text(TIEN_GIANG.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_main("score", str(bundle), "--out", str(tmp_path / "kq")).code == 0
    bundle.write_text(
        bundle.read_text(encoding="utf-8").replace("issue_date: 2024-01-10", "issue_date: 2023-12-20", 1),
        encoding="utf-8",
    )
    done = run_main("plan", str(tmp_path / "kq" / "ket-qua.json"))
    assert done.code == 2
    assert "tài liệu kiểm chứng đã thay đổi sau lần chấm: tien-giang.yaml (đã sửa)" in done.err


def test_a_kind_without_a_plan_hook_is_named_not_skipped(tmp_path):
    """A kind added as one module without `plan`: its leaves below their maximum say that it cannot plan yet."""
    shutil.copytree(ROOT / "par_score", tmp_path / "par_score", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("criteria", "evidence", "reports"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "par_score" / "scales" / "at_least.py").write_text(textwrap.dedent(NEW_KIND), encoding="utf-8")
    (tmp_path / "cat.yaml").write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(BUNDLE % 4, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "par_score", "plan", "b.yaml", "--catalogue", "cat.yaml", "--as-of", "01/10/2024"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "  1.1  Tiêu chí thử: thang điểm 'at_least' chưa hỗ trợ lập kế hoạch" in done.stdout.splitlines()


def test_a_proposal_that_does_not_score_its_promise_is_a_defect_never_a_line(monkeypatch, tien_giang_run):
    """2.2.1 (binary, missing) proposes full marks; a hook promising anything else must stop the plan."""
    honest = binary.plan

    def wrong(standing, horizon):
        return [dataclasses.replace(p, points=p.points / 2) for p in honest(standing, horizon)]

    monkeypatch.setattr(binary, "plan", wrong)
    with pytest.raises(EngineError, match="đề xuất cho tiêu chí 2.2.1 hứa 0.125 điểm nhưng chấm lại được 0.25"):
        par_score.plan(tien_giang_run, as_of=dt.date(2024, 10, 1))
    done = run_main("plan", str(TIEN_GIANG), "--as-of", "01/10/2024")
    assert done.code == 1 and done.out == "" and "Lỗi nội bộ của bộ máy chấm điểm" in done.err
