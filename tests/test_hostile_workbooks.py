"""Hostile workbooks (par_score.testing.workbooks): every one refused with exit 2 and a located Vietnamese message,
nothing written; the same changes on harmless content (renamed parts, UTF-16) read exactly like the original.

How long and how much memory each case takes is measured by benchmarks/bench_hostile_workbooks.py, under a memory
cap, not here."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from clirun import files_under, run_main
from test_excel import fill_workbook

from par_score.catalogue import load_catalogue
from par_score.errors import InputError
from par_score.evidence import load_bundle
from par_score.evidence.workbook import package
from par_score.io.resources import bundled_dir
from par_score.outputs.excel.evidence_template import template_bytes
from par_score.scoring.scorer import Scorer
from par_score.testing import workbooks as w

CATALOGUE = load_catalogue()
TEMPLATE = template_bytes(CATALOGUE, None)
CORPUS = w.hostile_corpus(TEMPLATE)
EXAMPLE = bundled_dir("evidence") / "examples" / "tien-giang-2024.yaml"

# What each refusal says (besides the file); a sheet name where the part is a sheet.
EXPECTED = {
    "dtd-bomb-sheet.xml": ("Sheet 'Thông tin'", "DOCTYPE/ENTITY"),
    "dtd-bomb-renamed-bin": ("Sheet 'Thông tin'", "DOCTYPE/ENTITY"),
    "dtd-bomb-renamed-upper-XML": ("Sheet 'Thông tin'", "DOCTYPE/ENTITY"),
    "dtd-bomb-utf16-bom": ("Sheet 'Thông tin'", "DOCTYPE/ENTITY"),
    "dtd-bomb-utf16-no-bom": ("Sheet 'Thông tin'", "DOCTYPE/ENTITY"),
    "dtd-bomb-utf16be-renamed": ("Sheet 'Thông tin'", "DOCTYPE/ENTITY"),
    "dtd-after-whitespace": ("Sheet 'Thông tin'", "DOCTYPE/ENTITY"),
    "external-entity": ("thành phần '[Content_Types].xml'", "DOCTYPE/ENTITY"),
    "sparse-wide-rows": ("Sheet 'Thông tin', dòng 300", "ô XFD300 có dữ liệu ngoài vùng được đọc"),
    "sparse-wide-rows-renamed": ("Sheet 'Thông tin', dòng 300", "ô XFD300 có dữ liệu ngoài vùng được đọc"),
    "far-row": ("Sheet 'Thông tin', dòng 1048576", "sheet có quá nhiều dòng (tối đa 20.000)"),
    "too-many-cells": ("Sheet 'Thông tin', dòng", "bảng tính có quá nhiều ô (tối đa 200.000)"),
    "huge-shared-strings": ("thành phần 'xl/sharedStrings.xml'", "thành phần quá lớn khi giải nén"),
    "many-shared-strings": ("thành phần 'xl/sharedStrings.xml'", "quá nhiều chuỗi dùng chung"),
    "long-tag": ("Sheet 'Thông tin'", "thẻ hoặc đoạn văn bản XML quá dài"),
    "deep-nesting": ("Sheet 'Thông tin'", "cấu trúc XML lồng quá sâu"),
    "zip-bomb-member": ("thành phần 'xl/media/image1.bin'", "bom nén"),
    "many-members": ("", "bảng tính có quá nhiều thành phần"),
    "corrupt-deflate-sheet": ("Sheet 'Văn bản'", "thành phần bị hỏng, không giải nén được"),
    "corrupt-deflate-styles": ("thành phần 'xl/styles.xml'", "thành phần bị hỏng, không giải nén được"),
    "truncated": ("", "không phải tệp Excel .xlsx hợp lệ"),
    "encrypted": ("", "được bảo vệ bằng mật khẩu"),
    "old-xls": ("", "tệp Excel cũ (.xls)"),
    "not-a-zip": ("", "không phải tệp Excel .xlsx hợp lệ"),
}


def test_every_case_of_the_corpus_has_its_expectation():
    assert set(CORPUS) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_hostile_workbook_is_refused_with_a_located_message(tmp_path, name):
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(CORPUS[name])
    out = tmp_path / "ket-qua"
    ran = run_main("score", str(path), "--out", str(out))
    assert ran.code == 2, ran.text
    assert ran.err.startswith("Lỗi: dữ liệu đầu vào không hợp lệ (1 lỗi):"), ran.err
    where, what = EXPECTED[name]
    assert f"Tệp '{path}'{', ' + where if where.startswith('Sheet') else ''}" in ran.err, ran.err
    assert where in ran.err and what in ran.err, ran.err
    assert "Traceback" not in ran.err and files_under(out) == []


def test_the_encrypted_message_is_not_the_xls_hint(tmp_path):
    path = tmp_path / "mat-khau.xlsx"
    path.write_bytes(CORPUS["encrypted"])
    ran = run_main("score", str(path), "--out", str(tmp_path / "kq"))
    assert "mật khẩu" in ran.err and ".xls" not in ran.err.replace(".xlsx", "")


# ---- harmless content under the same disguises is read exactly like the original -------------------------------------
@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("filled")
    template = folder / "mau.xlsx"
    template.write_bytes(TEMPLATE)
    return fill_workbook(template, load_bundle(EXAMPLE), folder / "tien-giang.xlsx")


def _result(path: Path) -> dict:
    return json.loads(Scorer(CATALOGUE).score(load_bundle(path)).to_json())


def _disguised(filled: Path, target: Path, change) -> Path:
    target.write_bytes(w.changed(filled.read_bytes(), change))
    return target


def _every_sheet(encode):
    def change(parts: w.Parts) -> None:
        for number, name in enumerate(w.sheet_parts(parts)):
            parts[name] = encode(parts[name])
            w.rename_part(parts, name, name.replace(".xml", (".bin", ".XML", ".dat")[number % 3]))

    return change


@pytest.mark.parametrize(
    "encode",
    [
        lambda x: x,
        w.in_utf16,
        lambda x: w.in_utf16(x, bom=False),
        lambda x: w.in_utf16(x, big_endian=True),
    ],
    ids=["renamed", "utf16-bom", "utf16-no-bom", "utf16-big-endian"],
)
def test_renamed_and_utf16_parts_are_read_like_the_original(filled, tmp_path, encode):
    disguised = _disguised(filled, tmp_path / "doi-ten.xlsx", _every_sheet(encode))
    with zipfile.ZipFile(disguised) as archive:
        assert not [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")]
    assert _result(disguised) == _result(filled)


def test_a_value_beyond_the_header_columns_but_inside_the_bounds_is_located(filled, tmp_path):
    disguised = _disguised(
        filled,
        tmp_path / "cot-xa.xlsx",
        lambda p: p.__setitem__(w.sheet_parts(p)[3], w.sparse_wide_rows(p[w.sheet_parts(p)[3]], 1, column="GR")),
    )
    with pytest.raises(InputError) as caught:
        load_bundle(disguised)
    assert any(
        p.record == "Sheet 'Số liệu', dòng 300" and p.field == "GR" and "cột không có tiêu đề" in p.message
        for p in caught.value.problems
    ), caught.value.render()


def test_limits_of_cells_and_shared_strings_are_checked_while_parsing(filled, tmp_path, monkeypatch):
    """Each limit on its own (lowered here, so that small files reach it)."""
    monkeypatch.setattr(package, "MAX_SHARED_STRINGS_BYTES", 2_000)
    sst = _disguised(filled, tmp_path / "sst.xlsx", lambda p: w.add_shared_strings(p, w.shared_strings(300, 12)))
    with pytest.raises(InputError, match="bảng chuỗi dùng chung quá lớn"):
        load_bundle(sst)
    monkeypatch.setattr(package, "MAX_CELLS", 100)
    with pytest.raises(InputError, match="quá nhiều ô"):
        load_bundle(filled)
    monkeypatch.setattr(package, "MAX_CELLS", 200_000)
    monkeypatch.setattr(package, "MAX_UNPACKED_BYTES", 100_000)
    with pytest.raises(InputError, match="bảng tính quá lớn khi giải nén"):
        load_bundle(filled)
