"""Control and bidirectional characters (refused at validation, escaped on the terminal), bounded error output,
special files as inputs, symlinks out of a bundle, and the small hardening items (odd saved results, negative zero,
the 20-decimal rule, --agency spelling, a result given as a bundle)."""

from __future__ import annotations

import copy
import json
import os
import random
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from clirun import run_main

from par_score.catalogue import load_catalogue
from par_score.evidence.model import control_problem
from par_score.numbers import plain, vn, vn_percent
from par_score.outputs.terminal.safe import MAX_PROBLEMS, error_lines, terminal_text
from par_score.testing.synthetic import synthetic_bundle

CATALOGUE = load_catalogue()
BASE = synthetic_bundle(CATALOGUE, random.Random(11), 3, survey_share=0.5)


def _bundle(tmp_path: Path, change=None, name: str = "bo.yaml") -> Path:
    data = copy.deepcopy(BASE)
    if change:
        change(data)
    folder = tmp_path / "bo"
    folder.mkdir(exist_ok=True)
    path = folder / name
    if name.endswith(".json"):  # JSON keeps every character as written (YAML folds some line breaks, e.g. U+0085)
        path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _saved_result(tmp_path: Path, change=None) -> Path:
    out = tmp_path / "kq"
    assert run_main("score", str(_bundle(tmp_path)), "--out", str(out)).code == 0
    if change is None:
        return out / "ket-qua.json"
    data = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "sua.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ---- control and bidirectional characters at validation ------------------------------------------------------------
@pytest.mark.parametrize(
    "field, value, words",
    [
        ("unit.name", "Tỉnh\x1b]0;pwned\x07 Thử", "U+001B ở vị trí 5"),
        ("unit.name", "Tỉnh Thử\rNghiệm", "U+000D ở vị trí 9"),
        ("unit.name", "Tỉnh\nThử", "U+000A ở vị trí 5 (trường này chỉ được một dòng)"),
        ("unit.name", "Tỉnh \u202eửhT", "U+202E (RLO) ở vị trí 6"),
        ("unit.name", "Tỉnh \u2067Thử\u2069", "U+2067 (RLI) ở vị trí 6"),
        ("unit.name", "Tỉnh\x85Thử", "U+0085 ở vị trí 5"),
        ("doc.title", "Kế hoạch\x00", "U+0000 ở vị trí 9"),
        ("doc.issuer", "UBND\ttỉnh", "U+0009 ở vị trí 5"),
        ("report.proposals", ["Đề xuất một", "Đề xuất \u202dhai"], "mục thứ 2 chứa ký tự điều khiển hướng chữ U+202D"),
    ],
)
def test_control_and_bidi_characters_are_refused_with_their_position(tmp_path, field, value, words):
    def change(data):
        if field == "unit.name":
            data["unit"]["name"] = value
        elif field.startswith("doc."):
            data["documents"][0][field[4:]] = value
        else:
            data["report"][field.split(".")[1]] = value

    ran = run_main("score", str(_bundle(tmp_path, change, "bo.json")), "--out", str(tmp_path / "kq"))
    assert ran.code == 2, ran.text
    assert words in ran.err, ran.err
    shown_field = "unit.name" if field == "unit.name" else field.replace("doc.", "")
    assert f"trường '{shown_field}'" in ran.err
    for raw in ("\x1b", "\x07", "\r", "\x00", "\u202e", "\u2067", "\u202d", "\x85"):
        assert raw not in ran.err  # the message names the character; it never prints it


def test_long_texts_may_hold_several_lines_and_tabs(tmp_path):
    def change(data):
        data["explanations"][0]["text"] = "Dòng một.\n\tDòng hai."
        data["documents"][0]["title"] = "Kế hoạch\ncải cách hành chính"

    out = tmp_path / "kq"
    ran = run_main("score", str(_bundle(tmp_path, change)), "--out", str(out))
    assert ran.code == 0, ran.text


def test_the_check_itself_names_lists_and_mappings():
    assert control_problem("a\u202eb").startswith("chứa ký tự điều khiển hướng chữ U+202E (RLO) ở vị trí 2")
    assert control_problem(["ok", "x\x1by"]).startswith("mục thứ 2 chứa ký tự điều khiển U+001B ở vị trí 2")
    assert control_problem({"k": "v\x7f"}).startswith("mục 'k' chứa ký tự điều khiển U+007F")
    assert control_problem("a\nb", lines=True) is None and control_problem("a\rb", lines=True) is not None


def test_appraisal_texts_refuse_control_characters(tmp_path):
    result = _saved_result(tmp_path)
    leaf = json.loads(result.read_text(encoding="utf-8"))["criteria"][0]
    appraisal = tmp_path / "tham-dinh.yaml"
    appraisal.write_text(
        yaml.safe_dump(
            {
                "format": "par-score/appraisal@1",
                "appraisals": [
                    {"criterion": leaf["code"], "points": 0, "appraiser": "Hội đồng\u202e", "comment": "Dòng\nhai"}
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    ran = run_main("appraise", str(result), str(appraisal))
    assert ran.code == 2 and "U+202E (RLO)" in ran.err and "trường 'appraiser'" in ran.err, ran.text


# ---- the terminal sanitiser ----------------------------------------------------------------------------------------
def test_terminal_text_escapes_controls_and_bounds_lines():
    assert terminal_text("a\x1b[2Jb\x07c") == "a\\x1b[2Jb\\x07c"
    assert terminal_text("tên \u202eabc") == "tên \\u202eabc"
    assert terminal_text("hai\ndòng\tcó tab") == "hai\ndòng\tcó tab"
    assert terminal_text("hai\ndòng\t", one_line=True) == "hai\\x0adòng\\t"
    assert terminal_text("tệp-\udcff.yaml") == "tệp-\\xff.yaml"  # an undecodable byte of a file name
    assert terminal_text("x" * 5000, limit=100) == "x" * 100 + "… (còn 4.900 ký tự)"
    assert terminal_text("Tiếng Việt có dấu — “ngoặc” ‘đơn’ …") == "Tiếng Việt có dấu — “ngoặc” ‘đơn’ …"


def test_error_output_is_bounded_with_a_count_of_what_was_left_out():
    lines = error_lines("Lỗi", [f"vấn đề {n}: " + "y" * 5000 for n in range(1000)])
    assert lines[0] == "Lỗi (1000 lỗi):"
    assert len(lines) <= MAX_PROBLEMS + 2
    assert lines[-1].startswith("  … và ") and "lỗi khác không hiển thị" in lines[-1]
    assert sum(map(len, lines)) < 70_000


def test_a_huge_invalid_value_is_not_echoed_in_full(tmp_path):
    huge = "x" * 2_000_000

    def change(data):
        data["documents"][0]["id"] = huge  # invalid (too long), and it names its record in every problem
        data["documents"][0]["kind"] = "khong-co"

    ran = run_main("score", str(_bundle(tmp_path, change)), "--out", str(tmp_path / "kq"))
    assert ran.code == 2
    assert len(ran.err) < 20_000, len(ran.err)


def test_controls_in_a_file_name_and_in_a_saved_result_are_escaped_on_the_terminal(tmp_path):
    evil = tmp_path / "bo\x1b]0;x\x07.yaml"
    evil.write_text("- 1\n", encoding="utf-8")
    ran = run_main("score", str(evil), "--out", str(tmp_path / "kq"))
    assert ran.code == 2 and "\x1b" not in ran.err and "\\x1b]0;x\\x07" in ran.err

    def change(data):
        data["unit"]["name"] = "Tỉnh\x1b[2J\u202eX"
        data["criteria"][0]["name"] = "Tỉnh\x1b[2J\u202eX"

    result = _saved_result(tmp_path, change)
    for args in (("explain", str(result), "1.1.1"), ("diff", str(result), str(tmp_path / "kq" / "ket-qua.json"))):
        ran = run_main(*args)
        assert ran.code == 0, ran.text
        assert "\x1b" not in ran.out and "\u202e" not in ran.out and "\\x1b[2J\\u202eX" in ran.out


def test_click_usage_errors_are_escaped_too():
    ran = run_main("score", "--khong-co\x1b[31m")
    assert ran.code == 2 and "\x1b" not in ran.err and "\\x1b[31m" in ran.err


# ---- special files and symlinks --------------------------------------------------------------------------------------
@pytest.fixture
def specials(tmp_path) -> dict[str, Path]:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    found = {}
    for name, target in (("zero", Path("/dev/zero")), ("fifo", fifo)):
        for suffix in (".yaml", ".json"):
            link = tmp_path / f"{name}{suffix}"
            link.symlink_to(target)
            found[f"{name}{suffix}"] = link
    return found


@pytest.mark.parametrize("name", ["zero.yaml", "fifo.yaml", "zero.json", "fifo.json"])
def test_devices_and_fifos_are_refused_wherever_a_file_is_read(tmp_path, specials, name):
    """Each ends at once with exit 2 (no MemoryError from /dev/zero, no hang on a FIFO)."""
    special = specials[name]
    result = _saved_result(tmp_path)
    commands = [
        ("score", str(special), "--out", str(tmp_path / "o1")),
        ("appraise", str(result), str(special)),
        ("report", str(tmp_path / "bo" / "bo.yaml"), "--appraisal", str(special), "--out", str(tmp_path / "o2")),
        ("rerun", str(special)),
        ("explain", str(special), "1.1"),
    ]
    if name.endswith(".json"):
        commands.append(("diff", str(special), str(result)))
    for args in commands:
        ran = run_main(*args)
        assert ran.code == 2, (args, ran.text)
        assert "không phải tệp dữ liệu thông thường" in ran.err, (args, ran.err)


def test_an_evidence_file_symlinked_from_outside_the_bundle_is_refused(tmp_path):
    bundle = _bundle(tmp_path)
    outside = tmp_path / "ngoai.yaml"
    outside.write_text("explanations: []\n", encoding="utf-8")
    (bundle.parent / "them.yaml").symlink_to(outside)
    ran = run_main("score", str(bundle.parent), "--out", str(tmp_path / "kq"))
    assert ran.code == 2 and "liên kết (symlink) trỏ ra ngoài thư mục bộ bằng chứng" in ran.err, ran.text
    assert f"Tệp '{bundle.parent / 'them.yaml'}'" in ran.err


# ---- odd saved results -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("points", ["1E+30", "1E+999999999", "1E-999999999"])
def test_absurd_figures_in_a_saved_result_are_refused_by_every_reader(tmp_path, points):
    def change(data):
        data["criteria"][0]["points"] = points

    result = _saved_result(tmp_path, change)
    for args in (
        ("explain", str(result), "1.1.1"),
        ("diff", str(result), str(tmp_path / "kq" / "ket-qua.json")),
        ("export", str(result), "--out", str(tmp_path / "x.xlsx")),
    ):
        ran = run_main(*args)
        assert ran.code == 2, (args, ran.text)
        assert "trường 'points'" in ran.err and "số có quá nhiều" in ran.err or "số quá lớn" in ran.err
    assert not (tmp_path / "x.xlsx").exists()


def test_a_result_of_another_format_is_named_as_a_result_not_as_a_bundle(tmp_path):
    result = _saved_result(tmp_path, lambda d: d.update(format="par-score/result@2"))
    ran = run_main("explain", str(result), "1.1.1")
    assert ran.code == 2 and ran.err.count("\n  - ") == 1, ran.err
    assert "trường 'format'" in ran.err and "par-score/result@1" in ran.err
    ran = run_main("score", str(tmp_path / "kq" / "ket-qua.json"), "--out", str(tmp_path / "o"))
    assert ran.code == 2 and "đây là tệp kết quả đã chấm" in ran.err and ran.err.count("\n  - ") == 1, ran.err


def test_negative_zero_is_never_shown():
    for value in (Decimal("-0"), Decimal("-0.00"), Decimal("-0.001")):
        assert not vn(value, 2).startswith("-") and not plain(value.quantize(Decimal(1))).startswith("-")
    assert vn(Decimal("-0")) == "0" and vn_percent(Decimal("-0.001")) == "0,00 %"
    assert vn(Decimal("-0.5")) == "-0,5"


# ---- the 20-decimal rule and --agency --------------------------------------------------------------------------------
def test_survey_percents_follow_the_twenty_decimal_rule(tmp_path):
    def change(data):
        data["survey"] = [{"item": data["survey"][0]["item"], "percent": "50." + "3" * 27}]

    ran = run_main("score", str(_bundle(tmp_path, change)), "--out", str(tmp_path / "kq"))
    assert ran.code == 2 and "trường 'percent'" in ran.err and "tối đa 20" in ran.err, ran.text


def test_appraisal_points_follow_the_twenty_decimal_rule(tmp_path):
    result = _saved_result(tmp_path)
    leaf = json.loads(result.read_text(encoding="utf-8"))["criteria"][0]
    appraisal = tmp_path / "tham-dinh.yaml"
    body = {
        "format": "par-score/appraisal@1",
        "appraisals": [{"criterion": leaf["code"], "points": "0.1" + "1" * 26, "appraiser": "HĐ"}],
    }
    appraisal.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    ran = run_main("appraise", str(result), str(appraisal))
    assert ran.code == 2 and "trường 'points'" in ran.err and "tối đa 20" in ran.err, ran.text


@pytest.mark.parametrize("typed", ["sở nội vụ", unicodedata.normalize("NFD", "Sở Nội vụ"), "  SỞ NỘI VỤ "])
def test_agency_is_stored_as_the_catalogue_spells_it(tmp_path, typed):
    out = tmp_path / "kq"
    ran = run_main("score", str(_bundle(tmp_path)), "--out", str(out), "--agency", typed)
    assert ran.code == 0, ran.text
    result = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert result["scope_agency"] == manifest["options"]["agency"] == "Sở Nội vụ"
