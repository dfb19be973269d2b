"""`par-score score DIR_OF_BUNDLES --out DIR`: telling a batch from a folder bundle, one engine host, one result per
unit (identical to scoring each alone), the ranking, all-or-nothing on invalid bundles, the progress bar."""

from __future__ import annotations

import contextlib
import io
import json
import random
import shutil
from decimal import Decimal

import pytest
from batches import make_batch
from clirun import files_under, run_main

from par_score.batch.run import RANKING_FILE, batch_entries
from par_score.catalogue import load_catalogue
from par_score.io.resources import example_bundle
from par_score.scoring.engine import RuleEngine
from par_score.testing.synthetic import synthetic_bundle, write_bundle

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def five(tmp_path_factory):
    """Four file bundles (JSON and YAML) and one folder bundle (the Tây Ninh example) in one batch folder."""
    folder = tmp_path_factory.mktemp("lo") / "cac-tinh"
    make_batch(folder, CATALOGUE, 4, seed=11)
    shutil.copytree(example_bundle(), folder / "tay-ninh")
    return folder


# ---- telling a batch from a folder bundle ----------------------------------------------------------------------
def test_a_folder_bundle_is_not_a_batch():
    assert batch_entries(example_bundle()) is None


def test_a_single_file_is_not_a_batch(five):
    assert batch_entries(five / "don-vi-0001.json") is None


def test_files_and_folders_that_are_whole_bundles_make_a_batch(five):
    entries = batch_entries(five)
    assert [p.name for p in entries] == [
        "don-vi-0001.json",
        "don-vi-0002.yaml",
        "don-vi-0003.json",
        "don-vi-0004.yaml",
        "tay-ninh",
    ]


def test_a_loose_part_makes_the_folder_one_bundle(tmp_path):
    make_batch(tmp_path, CATALOGUE, 2)
    (tmp_path / "phan-them.yaml").write_text("documents: []\n", encoding="utf-8")
    assert batch_entries(tmp_path) is None


def test_one_sub_bundle_alone_is_a_batch_and_attachment_folders_are_not_bundles(tmp_path):
    shutil.copytree(example_bundle(), tmp_path / "tay-ninh")
    (tmp_path / "tay-ninh" / "files").mkdir()
    (tmp_path / "tay-ninh" / "files" / "du-lieu.json").write_text("{}", encoding="utf-8")
    assert [p.name for p in batch_entries(tmp_path)] == ["tay-ninh"]
    assert batch_entries(tmp_path / "tay-ninh") is None


# ---- scoring a batch --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def scored(five, tmp_path_factory):
    out = tmp_path_factory.mktemp("kq") / "ket-qua"
    calls = []
    original = RuleEngine.fire_each

    def counting(self, bundles):
        calls.append(1)
        return original(self, bundles)

    RuleEngine.fire_each = counting
    try:
        ran = run_main("score", str(five), "--out", str(out))
    finally:
        RuleEngine.fire_each = original
    assert ran.code == 0, ran.text
    return ran, out, len(calls)


def test_a_batch_uses_one_engine_host(scored):
    _, _, hosts = scored
    assert hosts == 1


def test_each_unit_gets_its_result_and_audit_trail(scored):
    _, out, _ = scored
    names = sorted(str(p.relative_to(out)) for p in files_under(out))
    units = ["don-vi-0001", "don-vi-0002", "don-vi-0003", "don-vi-0004", "tay-ninh"]
    assert names == sorted(
        [f"{u}/{f}" for u in units for f in ("ket-qua.json", "manifest.json", "trace.jsonl")] + [RANKING_FILE]
    )


def test_batch_results_equal_scoring_each_bundle_alone(five, scored, tmp_path):
    _, out, _ = scored
    for entry, unit in ((five / "don-vi-0002.yaml", "don-vi-0002"), (five / "tay-ninh", "tay-ninh")):
        alone = tmp_path / unit
        assert run_main("score", str(entry), "--out", str(alone)).code == 0
        assert (alone / "ket-qua.json").read_bytes() == (out / unit / "ket-qua.json").read_bytes()


def test_the_ranking_orders_units_by_their_self_assessed_percentage(scored):
    ran, out, _ = scored
    ranking = json.loads((out / RANKING_FILE).read_text(encoding="utf-8"))
    assert ranking["ranked_by"] == "self_pct" and len(ranking["units"]) == 5
    percents = []
    for row in ranking["units"]:
        result = json.loads((out / row["result"]).read_text(encoding="utf-8"))
        assert (
            row["self_points"] == result["totals"]["self"]["points"] and row["self_pct"] == result["totals"]["self_pct"]
        )
        percents.append(Decimal(row["self_pct"]))
    assert percents == sorted(percents, reverse=True)
    assert [row["rank"] for row in ranking["units"]][0] == 1
    table = ran.out
    assert "Hạng" in table and "Tỉnh Tây Ninh (tay-ninh)" in table and "Đã chấm 5 bộ bằng chứng" in table
    first = ranking["units"][0]["unit"]["name"]
    assert table.index(first) < table.index(ranking["units"][-1]["unit"]["name"])


def test_equal_percentages_share_a_rank(tmp_path):
    (tmp_path / "in").mkdir()
    data = synthetic_bundle(CATALOGUE, random.Random(4), 1)
    write_bundle(data, tmp_path / "in" / "a.json")
    twin = dict(data, unit={**data["unit"], "code": "don-vi-9999", "name": "Tỉnh Sinh Đôi"})
    write_bundle(twin, tmp_path / "in" / "b.json")
    write_bundle(synthetic_bundle(CATALOGUE, random.Random(5), 2), tmp_path / "in" / "c.json")
    assert run_main("score", str(tmp_path / "in"), "--out", str(tmp_path / "out")).code == 0
    ranking = json.loads((tmp_path / "out" / RANKING_FILE).read_text(encoding="utf-8"))
    ranks = {row["unit"]["code"]: row["rank"] for row in ranking["units"]}
    assert ranks["don-vi-0001"] == ranks["don-vi-9999"]


def test_the_progress_bar_is_silent_off_a_terminal(scored):
    ran, _, _ = scored
    assert ran.err == ""


def test_the_progress_bar_shows_on_a_terminal(five, tmp_path):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    err = Terminal()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        with pytest.raises(SystemExit) as done:
            from par_score.cli import main

            main(["score", str(five), "--out", str(tmp_path / "out")])
    assert done.value.code == 0
    assert "Đang chấm điểm" in err.getvalue()


# ---- all or nothing ---------------------------------------------------------------------------------------------
def test_invalid_bundles_are_all_reported_and_nothing_is_written(tmp_path):
    paths = make_batch(tmp_path / "in", CATALOGUE, 5, seed=3, suffixes=(".json",))
    for path in (paths[1], paths[3]):
        data = json.loads(path.read_text(encoding="utf-8"))
        metric = next(
            m
            for m in data["metrics"]
            if "numerator" in m
            and not m["indicator"].startswith(
                ("ty_le_thu", "ty_le_bien", "ty_le_nguoi", "ty_le_tang", "ty_le_von", "ty_le_doanh", "ty_le_giam_ho")
            )
        )
        metric["numerator"] = metric["denominator"] + 1
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    ran = run_main("score", str(tmp_path / "in"), "--out", str(out))
    assert ran.code == 2 and "Traceback" not in ran.text
    assert f"Tệp '{paths[1]}', bản ghi metrics #" in ran.err and f"Tệp '{paths[3]}', bản ghi metrics #" in ran.err
    assert "trường 'numerator'" in ran.err
    assert not out.exists()


def test_an_invalid_bundle_leaves_a_previous_batch_untouched(tmp_path):
    paths = make_batch(tmp_path / "in", CATALOGUE, 3, seed=3, suffixes=(".json",))
    out = tmp_path / "out"
    assert run_main("score", str(tmp_path / "in"), "--out", str(out)).code == 0
    before = {p: p.read_bytes() for p in files_under(out)}
    paths[2].write_text(
        paths[2].read_text(encoding="utf-8").replace('"year": 2024', '"year": "hai nghìn"'), encoding="utf-8"
    )
    ran = run_main("score", str(tmp_path / "in"), "--out", str(out), "--force")
    assert ran.code == 2 and "trường 'year'" in ran.err
    assert {p: p.read_bytes() for p in files_under(out)} == before  # no staging folder left either


def test_two_bundles_of_one_unit_are_refused(tmp_path):
    paths = make_batch(tmp_path / "in", CATALOGUE, 2, suffixes=(".json",))
    shutil.copy(paths[0], tmp_path / "in" / "ban-sao.json")
    ran = run_main("score", str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    assert ran.code == 2 and "mã đơn vị 'don-vi-0001' trùng" in ran.err and "trường 'unit.code'" in ran.err
    assert not (tmp_path / "out").exists()


def test_the_helper_process_writes_the_same_files_as_the_scorer_itself(tmp_path):
    from par_score.batch.run import run_batch

    make_batch(tmp_path / "in", CATALOGUE, 6, seed=8)
    entries = batch_entries(tmp_path / "in")
    written = {}
    for parallel in (False, True):
        out = tmp_path / f"out-{parallel}"
        run_batch(entries, catalogue_ref=None, out_dir=out, force=False, agency=None, parallel=parallel)
        written[parallel] = {
            str(p.relative_to(out)): p.read_bytes() for p in files_under(out) if p.name != "manifest.json"
        }
        manifests = [json.loads(p.read_text(encoding="utf-8")) for p in files_under(out) if p.name == "manifest.json"]
        assert len(manifests) == 6 and all(m["outputs"] for m in manifests)
    assert written[True] == written[False]
