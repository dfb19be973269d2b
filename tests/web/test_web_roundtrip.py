"""The campaign and the CLI agree: an exported campaign is a bundle folder that `par-score score` scores to the
workspace's own points, criterion by criterion; an exported bundle imports back into a new campaign unchanged; a
scoring run writes what the CLI writes, and two runs compare with the CLI's diff."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from clirun import run_process
from django.core.files.uploadedfile import SimpleUploadedFile

from par_score import api
from par_score.web.workspace.models import Record, ScoringRun
from par_score.web.workspace.parts import province
from web.helpers import AGENCY_A, make_campaign, part_of


def _export(client, campaign, target: Path) -> Path:
    response = client.get(f"/chien-dich/{campaign.pk}/xuat.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(target)
    (folder,) = [p for p in target.iterdir() if p.is_dir()]
    return folder


def _attach_pdf(client, campaign) -> None:
    part = part_of(campaign, AGENCY_A)
    record = Record.objects.get(part=part, key="kh-ra-soat-vbqppl-2024")
    data = {
        f"documents-{k}": v
        for k, v in record.data.items()
        if k in ("id", "kind", "number", "issuer", "title", "locator")
    }
    data.update(
        {
            "documents-issue_date": "02/02/2024",
            "documents-topics": record.data["topics"],
            "documents-file": SimpleUploadedFile("298-KH-UBND.pdf", b"%PDF-1.4\n% ke hoach ra soat\n"),
            "version": record.version,
            "tieu_chi": "2.2.1",
        }
    )
    assert client.post(f"/chien-dich/{campaign.pk}/ban-ghi/{record.pk}/", data).status_code == 302


def test_an_exported_campaign_scores_the_same_with_the_cli(imported, clients, tmp_path):
    _attach_pdf(clients["agency_a"], imported)
    folder = _export(clients["admin"], imported, tmp_path / "xuat")
    names = sorted(p.name for p in folder.iterdir())
    assert names == [  # the agencies of the catalogue since issue 10 (Sở KH&CN took over Sở TT&TT's criteria)
        "files",
        "so-khoa-hoc-va-cong-nghe.yaml",
        "so-noi-vu.yaml",
        "so-tai-chinh.yaml",
        "so-tu-phap.yaml",
        "tham-dinh-va-nhat-ky",  # the change log (and the appraisal file): not read as evidence
        "thong-tin-chung.yaml",
        "van-phong-ubnd-tinh.yaml",
    ]
    assert sorted(p.name for p in (folder / "tham-dinh-va-nhat-ky").iterdir()) == ["nhat-ky.jsonl"]
    ran = run_process("score", str(folder), "--out", str(tmp_path / "ket-qua"))
    assert ran.code == 0, ran.text
    cli = json.loads((tmp_path / "ket-qua" / "ket-qua.json").read_text(encoding="utf-8"))
    workspace = province(imported).result
    assert cli["totals"]["self"]["points"] == "59.25" == str(workspace.totals.self_.points)
    assert [(c["code"], c["points"], c["status"]) for c in cli["criteria"]] == [
        (leaf.code, None if leaf.points is None else api_plain(leaf.points), leaf.status) for leaf in workspace.criteria
    ]
    example = api.score_source(Path(api.__file__).resolve().parent.parent / "evidence" / "examples" / "tay-ninh-2024")
    assert [c.points for c in example.criteria] == [c.points for c in workspace.criteria]


def api_plain(value) -> str:
    from par_score.numbers import plain

    return plain(value)


def test_an_exported_bundle_imports_into_a_new_campaign_unchanged(imported, clients, tmp_path):
    _attach_pdf(clients["agency_a"], imported)
    response = clients["admin"].get(f"/chien-dich/{imported.pk}/xuat.zip")
    archive = b"".join(response.streaming_content)
    fresh = make_campaign("Bản sao")
    upload = SimpleUploadedFile("tay-ninh.zip", archive, content_type="application/zip")
    response = clients["admin"].post(f"/chien-dich/{fresh.pk}/nhap/", {"kind": "bundle", "bo-bundle": upload})
    assert response.status_code == 302, response.content.decode()[-3000:]
    key = ["section", "key", "data", "part__agency"]
    assert sorted(Record.objects.filter(campaign=fresh).values_list(*key)) == sorted(
        Record.objects.filter(campaign=imported).values_list(*key)
    )
    fresh.refresh_from_db()
    assert fresh.report == imported.report
    assert province(fresh).result.criteria == province(imported).result.criteria


def test_an_import_with_problems_stores_nothing_and_lists_them(campaign, clients, tmp_path):
    bundle = (
        "format: par-score/evidence@1\n"
        "unit: {code: tay-ninh, name: Tỉnh Tây Ninh, level: tinh}\n"
        "year: 2024\n"
        "metrics:\n"
        "  - {indicator: ty_le_vbqppl_ban_hanh_dung_ke_hoach, numerator: 50, denominator: 44}\n"
        "  - {indicator: chi_so_khong_co, value: 1}\n"
    )
    upload = SimpleUploadedFile("bo.yaml", bundle.encode(), content_type="application/yaml")
    response = clients["admin"].post(f"/chien-dich/{campaign.pk}/nhap/", {"kind": "bundle", "bo-bundle": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tệp &#x27;bo.yaml&#x27;, bản ghi metrics #1" in page and "tử số (50) lớn hơn mẫu số (44)" in page
    assert "chỉ số &#x27;chi_so_khong_co&#x27; không có trong danh mục" in page
    assert not Record.objects.exists()


def test_a_run_is_written_as_the_cli_writes_it_and_two_runs_compare(imported, clients, tmp_path, settings):
    admin = clients["admin"]
    response = admin.post(f"/chien-dich/{imported.pk}/lan-cham/")
    assert response.status_code == 302
    first = ScoringRun.objects.get()
    folder = settings.DATA_DIR / first.folder
    written = sorted(p.name for p in (folder / "ket-qua").iterdir())
    assert written == sorted(p.name for p in api.run_files(folder / "ket-qua", api.REPORT_FORMATS))
    pdf = admin.get(f"/chien-dich/{imported.pk}/lan-cham/1/bao-cao-tu-cham-diem.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert clients["auditor"].get(f"/chien-dich/{imported.pk}/lan-cham/1/trace.jsonl").status_code == 200
    ran = run_process("rerun", str(folder / "ket-qua" / "manifest.json"))
    assert ran.code == 0 and "giống hệt" in ran.out, ran.text
    assert str(first.self_points.normalize()) == "59.25"

    part = part_of(imported, AGENCY_A)
    record = Record.objects.get(part=part, section="metrics", key="ty_le_vbqppl_ban_hanh_dung_ke_hoach")
    form = {
        "metrics-form": "ratio",
        "metrics-numerator": "40",
        "metrics-denominator": "44",
        "metrics-period": record.data["period"],
        "metrics-source": record.data["source"],
        "metrics-documents": record.data["documents"],
        "version": record.version,
    }
    assert clients["agency_a"].post(f"/chien-dich/{imported.pk}/ban-ghi/{record.pk}/", form).status_code == 302
    assert admin.post(f"/chien-dich/{imported.pk}/lan-cham/").status_code == 302
    page = admin.get(f"/chien-dich/{imported.pk}/lan-cham/so-sanh/?a=1&b=2").content.decode()
    assert "Tiêu chí thay đổi (1)" in page and "2.1.1" in page and "-0,5" in page
    assert "Tỷ lệ ≥ 100 %: điểm tối đa → Tỷ lệ ≥ 80 %: 50 % điểm tối đa" in page
    assert "tỷ lệ: 44/44 = 100 % → 40/44 ≈ 90,909 %" in page and "bớt:" not in page
