"""Hostile and broken evidence through the real CLI: exit 2, a Vietnamese message naming file, record and field,
no traceback, no output written. HTML/XML markup and template syntax in any text field are refused too. Some odd but
legitimate input (NFD, BOM + CRLF, "<" as a comparison, single braces) is accepted as is."""

from __future__ import annotations

import copy
import json
import os
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from clirun import Ran, files_under, run_main, run_process

from par_score.catalogue import load_catalogue
from par_score.io.readers import MAX_FILE_BYTES
from par_score.testing.synthetic import synthetic_bundle

CATALOGUE = load_catalogue()
BASE = synthetic_bundle(CATALOGUE, random.Random(2024), 7, survey_share=0.5)


def _dump(data: Any, name: str) -> str:
    if name.endswith(".json"):
        return json.dumps(data, ensure_ascii=False, indent=1)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _write(folder: Path, name: str, data: Any = None, *, text: str | None = None, raw: bytes | None = None) -> Path:
    path = folder / name
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(text if text is not None else _dump(data, name), encoding="utf-8")
    return path


def refused(
    tmp_path: Path,
    data: Any = None,
    *,
    name: str = "bundle.yaml",
    text: str | None = None,
    raw: bytes | None = None,
    setup: Callable[[Path], None] | None = None,
    process: bool = False,
) -> Ran:
    """Score a broken bundle; assert the refusal's common form; return what was printed."""
    folder = tmp_path / "bo-tai-lieu"
    folder.mkdir()
    path = _write(folder, name, data, text=text, raw=raw)
    if setup:
        setup(folder)
    out = tmp_path / "ket-qua"
    ran = (run_process if process else run_main)("score", str(path), "--out", str(out))
    assert ran.code == 2, ran.text
    assert "Traceback" not in ran.text
    assert ran.err.startswith("Lỗi: dữ liệu đầu vào không hợp lệ"), ran.err
    assert f"Tệp '{path}'" in ran.err, ran.err
    assert not out.exists() and files_under(out) == []
    return ran


def accepted(
    tmp_path: Path, data: Any = None, *, name: str = "bundle.yaml", raw: bytes | None = None, text: str | None = None
) -> tuple[str, dict]:
    folder = tmp_path / "bo-tai-lieu"
    folder.mkdir(exist_ok=True)
    path = _write(folder, name, data, raw=raw, text=text)
    out = tmp_path / f"ket-qua-{name}"
    ran = run_main("score", str(path), "--out", str(out))
    assert ran.code == 0, ran.text
    text_out = (out / "ket-qua.json").read_text(encoding="utf-8")
    return text_out, json.loads(text_out)


def mutated(change: Callable[[dict], None]) -> dict:
    data = copy.deepcopy(BASE)
    change(data)
    return data


def find(data: dict, section: str, test: Callable[[dict], bool]) -> tuple[int, dict]:
    return next((i, r) for i, r in enumerate(data[section]) if test(r))


def ratio_metric(data: dict, *, may_exceed: bool = False) -> tuple[int, dict]:
    exceed = {e.input_key[1] for e in CATALOGUE.leaves if getattr(e.leaf.input, "ratio_may_exceed_one", False)}
    return find(data, "metrics", lambda m: "numerator" in m and (m["indicator"] in exceed) == may_exceed)


def located(ran: Ran, record: str, field: str) -> None:
    assert f"bản ghi {record}" in ran.err, ran.err
    assert f"trường '{field}'" in ran.err, ran.err


# ---- wrong types, missing fields ------------------------------------------------------------------------------
def test_year_as_text_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d.update(year="2024")))
    assert "trường 'year'" in ran.err and "số nguyên" in ran.err


def test_a_section_of_the_wrong_type_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d.update(documents={"id": "x"})))
    assert "trường 'documents'" in ran.err and "danh sách" in ran.err


def test_a_record_that_is_not_a_mapping_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["metrics"].__setitem__(0, "47/48")))
    assert "bản ghi metrics #1" in ran.err and "bản ghi (khóa: giá trị)" in ran.err


def test_a_missing_field_is_named(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["documents"][2].pop("issue_date")))
    located(ran, f"documents #3 (id: {BASE['documents'][2]['id']})", "issue_date")
    assert "thiếu trường bắt buộc" in ran.err


def test_a_missing_unit_is_named(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d.pop("unit")))
    assert "trường 'unit'" in ran.err


def test_an_unknown_field_is_named(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["metrics"][0].update(ghi_chu="x")))
    located(ran, f"metrics #1 (indicator: {BASE['metrics'][0]['indicator']})", "ghi_chu")


def test_a_date_of_the_wrong_type_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["documents"][0].update(issue_date=20240105)))
    located(ran, f"documents #1 (id: {BASE['documents'][0]['id']})", "issue_date")


def test_an_impossible_date_is_refused(tmp_path):
    text = _dump(BASE, "bundle.yaml").replace(
        f"issue_date: '{BASE['documents'][0]['issue_date']}'", "issue_date: 2024-02-30", 1
    )
    ran = refused(tmp_path, text=text)
    assert "2024-02-30" in ran.err and "dòng" in ran.err


# ---- figures ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "field, value, words",
    [
        ("numerator", -1, "lớn hơn hoặc bằng 0"),
        ("denominator", "mười", "không phải là số"),
        ("numerator", True, "không phải là số"),
        ("denominator", "1e999999", "số quá lớn"),
        ("numerator", "1e-999999999", "chữ số thập phân"),
    ],
)
def test_bad_figures_are_refused(tmp_path, field, value, words):
    i, metric = ratio_metric(BASE)
    ran = refused(tmp_path, mutated(lambda d: d["metrics"][i].update({field: value})))
    located(ran, f"metrics #{i + 1} (indicator: {metric['indicator']})", field)
    assert words in ran.err


def test_numerator_above_denominator_is_refused(tmp_path):
    i, metric = ratio_metric(BASE)
    ran = refused(tmp_path, mutated(lambda d: d["metrics"][i].update(numerator=metric["denominator"] + 1)))
    located(ran, f"metrics #{i + 1} (indicator: {metric['indicator']})", "numerator")
    assert "lớn hơn mẫu số" in ran.err


def test_numerator_above_denominator_is_accepted_where_the_catalogue_allows_it(tmp_path):
    i, metric = ratio_metric(BASE, may_exceed=True)
    _, result = accepted(tmp_path, mutated(lambda d: d["metrics"][i].update(numerator=metric["denominator"] * 2)))
    assert result["totals"]["self"]["points"]


def test_zero_denominator_without_a_not_applicable_declaration_is_refused(tmp_path):
    i, metric = ratio_metric(BASE)
    ran = refused(tmp_path, mutated(lambda d: d["metrics"][i].update(numerator=0, denominator=0)))
    located(ran, f"metrics #{i + 1} (indicator: {metric['indicator']})", "denominator")
    assert "mẫu số bằng 0" in ran.err and (
        "not_applicable" in ran.err or "không được khai báo không phát sinh" in ran.err
    )


def test_a_negative_count_is_refused(tmp_path):
    i, metric = find(BASE, "metrics", lambda m: m["indicator"].startswith("so_vu_"))
    ran = refused(tmp_path, mutated(lambda d: d["metrics"][i].update(value=-2)))
    located(ran, f"metrics #{i + 1} (indicator: {metric['indicator']})", "value")
    assert "không được âm" in ran.err


def test_an_absurd_negative_count_is_refused_not_crashed(tmp_path):
    i, metric = find(BASE, "metrics", lambda m: m["indicator"].startswith("so_vu_"))
    ran = refused(tmp_path, mutated(lambda d: d["metrics"][i].update(value="-1e999999")))
    located(ran, f"metrics #{i + 1} (indicator: {metric['indicator']})", "value")


def test_survey_answer_counts_are_bounded(tmp_path):
    def change(d):
        d["survey"] = [{"item": "8.1", "answers": {"A": 10**12, "B": 1}}]

    ran = refused(tmp_path, mutated(change))
    located(ran, "survey #1 (item: 8.1)", "answers.A")


# ---- dates --------------------------------------------------------------------------------------------------------
def test_a_document_dated_outside_the_evaluation_year_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["documents"][0].update(issue_date="2019-05-01")))
    located(ran, f"documents #1 (id: {BASE['documents'][0]['id']})", "issue_date")
    assert "01/05/2019" in ran.err and "nằm ngoài" in ran.err


def test_a_report_dated_outside_the_window_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["report"].update(date="2026-01-01")))
    assert "trường 'report.date'" in ran.err


# ---- unknown and duplicate codes ------------------------------------------------------------------------------------
def test_an_unknown_criterion_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["not_applicable"].append({"criterion": "9.9.9", "reason": "x"})))
    n = len(BASE["not_applicable"]) + 1
    located(ran, f"not_applicable #{n} (criterion: 9.9.9)", "criterion")
    assert "không có trong danh mục" in ran.err


def test_an_unknown_indicator_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["metrics"][0].update(indicator="ty_le_khong_co")))
    located(ran, "metrics #1 (indicator: ty_le_khong_co)", "indicator")


def test_an_unknown_survey_item_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["survey"].append({"item": "9.1", "percent": 50})))
    located(ran, f"survey #{len(BASE['survey']) + 1} (item: 9.1)", "item")


def test_an_unknown_topic_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["documents"][0].update(topics=["chu_de_la"])))
    located(ran, f"documents #1 (id: {BASE['documents'][0]['id']})", "topics")


def test_an_explanation_for_an_unknown_criterion_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["explanations"].append({"criterion": "1.99", "text": "x"})))
    located(ran, f"explanations #{len(BASE['explanations']) + 1} (criterion: 1.99)", "criterion")


def test_a_duplicate_document_id_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["documents"].append(copy.deepcopy(d["documents"][0]))))
    located(ran, f"documents #{len(BASE['documents']) + 1} (id: {BASE['documents'][0]['id']})", "id")
    assert "bị trùng" in ran.err


def test_an_indicator_given_twice_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["metrics"].append(copy.deepcopy(d["metrics"][0]))))
    located(ran, f"metrics #{len(BASE['metrics']) + 1} (indicator: {BASE['metrics'][0]['indicator']})", "indicator")


def test_a_referenced_document_that_is_absent_is_refused(tmp_path):
    ran = refused(tmp_path, mutated(lambda d: d["metrics"][1].update(documents=["vb-khong-co"])))
    located(ran, f"metrics #2 (indicator: {BASE['metrics'][1]['indicator']})", "documents")
    assert "vb-khong-co" in ran.err


def test_ids_repeated_across_the_files_of_a_folder_bundle_are_refused(tmp_path):
    folder = tmp_path / "bo"
    folder.mkdir()
    head = {k: v for k, v in BASE.items() if k not in ("documents",)}
    _write(folder, "chung.yaml", head)
    _write(folder, "so-a.yaml", {"documents": BASE["documents"]})
    _write(folder, "so-b.json", {"documents": [BASE["documents"][0]]})
    out = tmp_path / "out"
    ran = run_main("score", str(folder), "--out", str(out))
    assert ran.code == 2 and not out.exists()
    assert (
        f"Tệp '{folder / 'so-b.json'}', bản ghi documents #1 (id: {BASE['documents'][0]['id']}), trường 'id'" in ran.err
    )


# ---- hostile YAML/JSON ------------------------------------------------------------------------------------------
def test_a_python_tag_is_refused(tmp_path):
    ran = refused(tmp_path, text="!!python/object/apply:os.system ['echo pwned']\n")
    assert "thẻ (tag) YAML không được phép" in ran.err and "dòng 1" in ran.err


def test_a_custom_tag_is_refused(tmp_path):
    text = _dump(BASE, "bundle.yaml").replace("format: par-score/evidence@1", "format: !ma-doc par-score/evidence@1")
    ran = refused(tmp_path, text=text)
    assert "thẻ (tag) YAML không được phép" in ran.err


@pytest.mark.parametrize("tag", ["!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]"])
def test_non_plain_standard_tags_are_refused(tmp_path, tag):
    ran = refused(tmp_path, text=_dump(BASE, "bundle.yaml") + f"catalogue: {tag}\n".replace("catalogue", "ghi_chu"))
    assert "thẻ (tag) YAML không được phép" in ran.err


def test_an_alias_bomb_is_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    ran = refused(tmp_path, text="\n".join(lines) + "\n")
    assert "quá lớn khi triển khai" in ran.err or "tham chiếu (alias)" in ran.err


def test_too_many_aliases_are_refused(tmp_path):
    text = "a: &a x\nb: [" + ", ".join(["*a"] * 500) + "]\n"
    ran = refused(tmp_path, text=text)
    assert "tham chiếu (alias)" in ran.err


def test_merge_keys_are_refused(tmp_path):
    ran = refused(tmp_path, text="base: &b {code: x}\nunit:\n  <<: *b\n  name: y\n")
    assert "khóa gộp '<<'" in ran.err


@pytest.mark.parametrize(
    "name, text",
    [
        ("bundle.yaml", "a: " + "[" * 500 + "]" * 500 + "\n"),
        ("bundle.json", '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("bundle.json", '{"a": ' + "[" * 45 + "]" * 45 + "}"),
    ],
)
def test_deep_nesting_is_refused(tmp_path, name, text):
    ran = refused(tmp_path, name=name, text=text)
    assert "lồng quá sâu" in ran.err


def test_non_text_keys_are_refused_with_their_line(tmp_path):
    ran = refused(tmp_path, text=_dump(BASE, "bundle.yaml") + "5: nam\n")
    assert "khóa phải là chuỗi văn bản" in ran.err and "dòng" in ran.err


def test_duplicate_keys_are_refused(tmp_path):
    ran = refused(tmp_path, text=_dump(BASE, "bundle.yaml") + "year: 2025\n")
    assert "khóa 'year' bị lặp lại" in ran.err


def test_json_nan_and_huge_integers_are_refused(tmp_path):
    text = json.dumps(BASE, ensure_ascii=False).replace('"year": 2024', '"year": ' + "9" * 5000, 1)
    ran = refused(tmp_path, name="bundle.json", text=text)
    assert "số nguyên quá dài" in ran.err


def test_a_file_above_the_size_limit_is_refused(tmp_path):
    text = "# " + "x" * (MAX_FILE_BYTES + 10) + "\n" + _dump(BASE, "bundle.yaml")
    ran = refused(tmp_path, text=text)
    assert "tệp quá lớn" in ran.err


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"unit: {code: a}\nyear: \xff\xfe\n", "không phải văn bản UTF-8"),
        (b"unit: {code: a}\x00\n", "ký tự NUL"),
        (b"", "bản ghi (khóa: giá trị)"),
        (b"- 1\n- 2\n", "bản ghi (khóa: giá trị)"),
    ],
)
def test_files_that_are_not_a_bundle_are_refused(tmp_path, raw, words):
    ran = refused(tmp_path, raw=raw)
    assert words in ran.err


# ---- attached files -------------------------------------------------------------------------------------------------
def _attach(path: str) -> dict:
    def change(d):
        d["documents"][0]["file"] = {"path": path}

    return mutated(change)


@pytest.mark.parametrize(
    "path, words",
    [
        ("../../etc/passwd", "ra ngoài thư mục"),
        ("files/../../secret.pdf", "ra ngoài thư mục"),
        ("/etc/passwd", "đường dẫn tương đối"),
        ("C:\\Windows\\win.ini", "đường dẫn tương đối"),
        ("files\\..\\..\\x.pdf", "ra ngoài thư mục"),
        ("a\x01b.pdf", "ký tự điều khiển"),
        ("x" * 300 + "/y.pdf", "tên tệp quá dài"),
        ("khong-co.pdf", "không tìm thấy tệp đính kèm"),
    ],
)
def test_attached_paths_that_escape_or_are_wrong_are_refused(tmp_path, path, words):
    ran = refused(tmp_path, _attach(path))
    located(ran, f"documents #1 (id: {BASE['documents'][0]['id']})", "file.path")
    assert words in ran.err


def test_an_attached_symlink_is_refused(tmp_path):
    secret = tmp_path / "bi-mat.pdf"
    secret.write_bytes(b"%PDF secret")
    ran = refused(tmp_path, _attach("dinh-kem.pdf"), setup=lambda folder: os.symlink(secret, folder / "dinh-kem.pdf"))
    located(ran, f"documents #1 (id: {BASE['documents'][0]['id']})", "file.path")
    assert "symlink" in ran.err


def test_an_attached_file_under_a_symlinked_folder_is_refused(tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "a.pdf").write_bytes(b"%PDF")
    ran = refused(tmp_path, _attach("files/a.pdf"), setup=lambda folder: os.symlink(outside, folder / "files"))
    assert "symlink" in ran.err


def test_an_attached_file_inside_the_bundle_is_accepted(tmp_path):
    folder = tmp_path / "bo-tai-lieu"
    (folder / "files").mkdir(parents=True)
    (folder / "files" / "kh.pdf").write_bytes(b"%PDF-1.4 minh hoa")
    _, result = accepted(tmp_path, _attach("files/kh.pdf"))
    files = [e["file"] for leaf in result["criteria"] for e in leaf["evidence"] if e["file"]]
    assert "files/kh.pdf" in files


# ---- odd but legitimate text ----------------------------------------------------------------------------------------
def test_nfd_text_is_accepted_and_normalised_to_nfc(tmp_path):
    nfd_text = unicodedata.normalize("NFD", _dump(BASE, "bundle.yaml"))
    assert nfd_text != unicodedata.normalize("NFC", nfd_text)
    text, result = accepted(tmp_path, text=nfd_text)
    assert unicodedata.is_normalized("NFC", text)
    assert result["unit"]["name"] == unicodedata.normalize("NFC", BASE["unit"]["name"]) == "Tỉnh Thử Nghiệm 7"
    plain_text, _ = accepted(tmp_path, BASE, name="nfc.yaml")
    assert text == plain_text


def test_bom_and_windows_line_endings_are_accepted(tmp_path):
    raw = b"\xef\xbb\xbf" + _dump(BASE, "bundle.yaml").replace("\n", "\r\n").encode("utf-8")
    with_bom, _ = accepted(tmp_path, raw=raw)
    plain_text, _ = accepted(tmp_path, BASE, name="plain.yaml")
    assert with_bom == plain_text
    json_bom, _ = accepted(
        tmp_path, raw=b"\xef\xbb\xbf" + _dump(BASE, "b.json").replace("\n", "\r\n").encode(), name="b.json"
    )
    assert json_bom == plain_text


# ---- markup and template syntax: refused at the input gate (the report escapes them too, tested in test_report) ----
def _doc(d: dict, n: int) -> dict:
    return d["documents"][n]


def _set_report(key: str, value: Any) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        d["report"][key] = value

    return change


DOC = f"documents #3 (id: {BASE['documents'][2]['id']})"
METRIC = f"metrics #2 (indicator: {BASE['metrics'][1]['indicator']})"
SURVEY = f"survey #1 (item: {BASE['survey'][0]['item']})"
EXPLANATION = f"explanations #1 (criterion: {BASE['explanations'][0]['criterion']})"
MARKUP_CASES = [
    # (change, record, field, fragment shown in the message)
    (lambda d: _doc(d, 2).update(title='Kế hoạch <script>alert("x")</script>'), DOC, "title", "<script"),
    (lambda d: _doc(d, 2).update(locator="<b>Mục II</b>"), DOC, "locator", "<b"),
    (lambda d: _doc(d, 2).update(issuer="UBND {% include '/etc/passwd' %}"), DOC, "issuer", "{%"),
    (lambda d: _doc(d, 2).update(number="${HOME}/KH-UBND"), DOC, "number", "${"),
    (lambda d: _doc(d, 2).update(file={"path": "files/<img src=x>.pdf"}), DOC, "file.path", "<img"),
    (lambda d: d["metrics"][1].update(source="Báo cáo {{ 7*7 }}"), METRIC, "source", "{{"),
    (lambda d: d["metrics"][1].update(period="{# năm #}"), METRIC, "period", "{#"),
    (
        lambda d: d["not_applicable"].append({"criterion": "1.3.2", "reason": "Không phát sinh <!-- x -->"}),
        "not_applicable #1 (criterion: 1.3.2)",
        "reason",
        "<!--",
    ),
    (lambda d: d["survey"][0].update(source="<?xml version='1.0'?>"), SURVEY, "source", "<?xml"),
    (lambda d: d["explanations"][0].update(text="Giải trình <%= system('id') %>"), EXPLANATION, "text", "<%"),
    (lambda d: d["explanations"][0].update(text="Dòng một.\n</p><p>Dòng hai"), EXPLANATION, "text", "</p"),
    (lambda d: d["unit"].update(name="Tỉnh <i>Thử</i>"), None, "unit.name", "<i"),
    (lambda d: d.update(catalogue="{{ danh_muc }}"), None, "catalogue", "{{"),
    (_set_report("place", "<svg onload=alert(1)>"), None, "report.place", "<svg"),
    (_set_report("issuing_body", "ỦY BAN NHÂN DÂN {{ tinh }}"), None, "report.issuing_body", "{{"),
    (_set_report("signer", {"name": "<b>Nguyễn Văn A</b>"}), None, "report.signer.name", "<b"),
    (_set_report("recipients", ["Bộ Nội vụ;", "<a href='javascript:x'>Lưu</a>"]), None, "report.recipients", "<a"),
    (_set_report("difficulties", ["Khó khăn {% raw %}"]), None, "report.difficulties", "{%"),
    (_set_report("proposals", ["Đề xuất <đề_xuất>"]), None, "report.proposals", "<đề_xuất"),
]


@pytest.mark.parametrize("change, record, field, fragment", MARKUP_CASES, ids=[f"{c[2]}-{c[3]}" for c in MARKUP_CASES])
def test_html_and_template_syntax_in_text_is_refused(tmp_path, change, record, field, fragment):
    ran = refused(tmp_path, mutated(change))
    if record:
        located(ran, record, field)
    else:
        assert f"trường '{field}'" in ran.err and "bản ghi" not in ran.err, ran.err
    assert f"chứa thẻ HTML hoặc cú pháp mẫu (template) '{fragment}'" in ran.err, ran.err
    assert "không được phép trong tài liệu kiểm chứng" in ran.err
    assert len(ran.err.strip().splitlines()) == 2, ran.err  # the heading and exactly this one problem


def test_list_items_with_markup_are_named_by_position(tmp_path):
    ran = refused(tmp_path, mutated(_set_report("recipients", ["Bộ Nội vụ;", "Sở Nội vụ;", "{{ lưu }}"])))
    assert "trường 'report.recipients': mục thứ 3 chứa thẻ HTML" in ran.err, ran.err


def test_every_markup_field_is_reported_at_once(tmp_path):
    def change(d):
        _doc(d, 0).update(title="<b>A</b>")
        _doc(d, 1).update(title="{{ B }}")
        d["unit"]["name"] = "<i>C</i>"

    ran = refused(tmp_path, mutated(change))
    assert ran.err.count("chứa thẻ HTML hoặc cú pháp mẫu") == 3, ran.err


def test_ordinary_text_with_comparisons_and_braces_is_accepted_literally(tmp_path):
    ordinary = "Tỷ lệ < 80 % thì không đạt; a < b, x > y, <5 %, <= 3, 1<2, { } và {ghi chú}, 50 % $ & &amp; {x}}"
    i, metric = ratio_metric(BASE)

    def change(d):
        doc_id = d["metrics"][i]["documents"][0]
        doc = next(x for x in d["documents"] if x["id"] == doc_id)
        doc["title"] = ordinary
        doc["locator"] = "Mục II (điểm < 1)"
        d["explanations"].append({"criterion": CATALOGUE.by_indicator[metric["indicator"]].code, "text": ordinary})
        d["unit"]["name"] = "Tỉnh Thử {Nghiệm}"
        d["report"]["recipients"] = ["Bộ Nội vụ (< 3 bản);"]

    _, result = accepted(tmp_path, mutated(change))
    leaf = next(c for c in result["criteria"] if c["code"] == CATALOGUE.by_indicator[metric["indicator"]].code)
    assert leaf["evidence"][0]["title"] == ordinary and leaf["evidence"][0]["locator"] == "Mục II (điểm < 1)"
    assert ordinary in leaf["explanation"]
    assert result["unit"]["name"] == "Tỉnh Thử {Nghiệm}"


# ---- the same refusals from a fresh process: the exit code and no traceback ---------------------------------------
@pytest.mark.parametrize("case", ["tag", "ratio", "symlink", "markup"])
def test_refusals_in_a_real_process_have_no_traceback(tmp_path, case):
    if case == "markup":
        ran = refused(tmp_path, mutated(lambda d: _doc(d, 0).update(title="<script>alert(1)</script>")), process=True)
        located(ran, f"documents #1 (id: {BASE['documents'][0]['id']})", "title")
    elif case == "tag":
        refused(tmp_path, text="!!python/object/apply:os.system ['echo pwned']\n", process=True)
    elif case == "ratio":
        i, metric = ratio_metric(BASE)
        refused(tmp_path, mutated(lambda d: d["metrics"][i].update(numerator=metric["denominator"] + 5)), process=True)
    else:
        refused(tmp_path, _attach("/etc/passwd"), process=True)
