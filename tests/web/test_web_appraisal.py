"""The appraisal (thẩm định) of a campaign through the workspace, role by role: the administrator opens it; an
appraiser proposes points and a comment on a criterion (round 1); the responsible agency sees the comment on its
criterion and answers with a giải trình and corrected evidence (round 2); the appraiser sets the final points; the
administrator closes it and makes the post-appraisal report. An agency never sets the council's points, an appraiser
never writes evidence; self, appraised and final points are shown side by side, and every total is the one
`par-score appraise` computes for the same points (par_score.api.appraise on an appraisal file written here)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from par_score import api
from par_score.numbers import vn
from par_score.web.workspace.appraisals import appraised
from par_score.web.workspace.exporting import export_bundle
from par_score.web.workspace.forms import MetricForm
from par_score.web.workspace.models import Appraisal, AppraisalPoint, AppraisalReply, Record, ScoringRun
from web.helpers import AGENCY_A, AGENCY_B, part_of

CODE = "2.1.1"  # Sở Tư pháp's: VBQPPL issued as planned (ratio; the example: 44/44, full points)
OTHER = "2.2.1"  # Sở Tư pháp's too: appraised in round 1 only
COMMENT = "Chưa có danh mục 44 văn bản kèm Quyết định 22/QĐ-UBND; đề nghị bổ sung."
REPLY = "Sở Tư pháp bổ sung danh mục kèm Quyết định 22/QĐ-UBND và sửa kỳ số liệu theo Báo cáo 412/BC-STP."
FINAL_COMMENT = "Chấp nhận giải trình và tài liệu bổ sung."


def _urls(campaign) -> dict[str, str]:
    c = f"/chien-dich/{campaign.pk}/"
    part = part_of(campaign, AGENCY_A)
    return {
        "page": c + "tham-dinh/",
        "open": c + "tham-dinh/mo/",
        "advance": c + "tham-dinh/chuyen-giai-doan/",
        "criterion": c + f"tham-dinh/tieu-chi/{CODE}/",
        "points": c + f"tham-dinh/tieu-chi/{CODE}/diem/",
        "other_points": c + f"tham-dinh/tieu-chi/{OTHER}/diem/",
        "agency_criterion": c + f"co-quan/{part.pk}/tieu-chi/{CODE}/",
        "reply": c + f"co-quan/{part.pk}/tieu-chi/{CODE}/giai-trinh-tham-dinh/",
        "part_b": c + f"co-quan/{part_of(campaign, AGENCY_B).pk}/",
    }


def _metric_post(record: Record, **changes) -> dict[str, object]:
    """The agency's form for its metric record, as the page fills it, with some values changed."""
    initial = {**MetricForm.initial_from(record.data), **changes}
    data = {f"metrics-{name}": value for name, value in initial.items() if value is not None}
    return {**data, "version": record.version, "tieu_chi": CODE}


def _points_state():
    return (
        list(AppraisalPoint.objects.order_by("pk").values_list("criterion", "round", "points", "comment", "version")),
        list(Appraisal.objects.values_list("state", "version")),
    )


def _core_totals(campaign, tmp_path: Path):
    """What `par-score appraise` computes: the campaign's bundle scored by api.run_source, then an appraisal file
    written here (not by the workspace) with the council's points applied by api.appraise."""
    export_bundle(campaign, tmp_path / "bo")
    points = AppraisalPoint.objects.filter(campaign=campaign).order_by("criterion", "round")
    lines = [
        "format: par-score/appraisal@1",
        f"unit: {campaign.unit_code}",
        f"year: {campaign.year}",
        'council: "Hội đồng thẩm định"',
        "appraisals:",
    ]
    for p in points:
        lines += [
            f'  - criterion: "{p.criterion}"',
            f"    points: {p.points}",
            f"    round: {p.round}",
            f"    appraiser: {json.dumps(p.appraiser, ensure_ascii=False)}",
            f"    comment: {json.dumps(p.comment, ensure_ascii=False)}",
        ]
    (tmp_path / "tham-dinh.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = api.run_source(tmp_path / "bo", campaign.catalogue_id)
    return api.appraise(run, tmp_path / "tham-dinh.yaml").result


def test_one_appraisal_round_by_role(clients, imported, accounts, tmp_path):
    urls = _urls(imported)
    admin, agency, other, appraiser = (clients[r] for r in ("admin", "agency_a", "agency_b", "appraiser"))
    part = part_of(imported, AGENCY_A)
    metric = Record.objects.get(part=part, section="metrics", data__indicator="ty_le_vbqppl_ban_hanh_dung_ke_hoach")
    self_points = appraised(imported).result.leaf(CODE).points
    assert self_points == Decimal(1)

    # nobody gives points before the administrator opens the appraisal
    assert appraiser.get(urls["criterion"]).content.decode().count('id="nut-luu-diem"') == 0
    assert agency.post(urls["open"], {"council": "Hội đồng của cơ quan"}).status_code == 403
    response = admin.post(urls["open"], {"council": "Hội đồng thẩm định Chỉ số CCHC năm 2024", "date": "20/03/2025"})
    assert response.status_code == 302
    assert Appraisal.objects.get(campaign=imported).state == Appraisal.ROUND_1

    # round 1: the appraiser proposes points with a comment; an agency cannot (403, nothing changed)
    assert 'id="nut-luu-diem"' in appraiser.get(urls["criterion"]).content.decode()
    before = _points_state()
    for client in (agency, other, admin, clients["auditor"]):
        assert client.post(urls["points"], {"points": "1", "comment": "tự chấm lại"}).status_code == 403
    assert _points_state() == before
    response = appraiser.post(urls["points"], {"points": "0,5", "comment": COMMENT})
    assert response.status_code == 302
    assert appraiser.post(urls["other_points"], {"points": "0", "comment": "Không có kế hoạch"}).status_code == 302
    given = AppraisalPoint.objects.get(campaign=imported, criterion=CODE, round=1)
    assert (given.points, given.comment, given.appraiser) == ("0.5", COMMENT, "Lê Văn Thẩm")
    # points above the criterion's maximum are refused by the appraisal code, next to the field
    response = appraiser.post(urls["other_points"], {"points": "5", "comment": "", "version": 1})
    assert response.status_code == 400
    assert AppraisalPoint.objects.get(criterion=OTHER, round=1).points == "0"

    # in round 1 the evidence is what was submitted: the agency cannot change it
    submitted = dict(metric.data)
    response = agency.post(f"/chien-dich/{imported.pk}/ban-ghi/{metric.pk}/", _metric_post(metric, period="Năm 2024"))
    assert "hội đồng đang thẩm định (vòng 1)" in agency.get(response["Location"]).content.decode()
    metric.refresh_from_db()
    assert (metric.version, metric.data) == (1, submitted) and submitted.get("period") != "Năm 2024"
    assert agency.post(urls["reply"], {"text": REPLY}).status_code == 302
    assert not AppraisalReply.objects.exists()  # no giải trình before round 2

    # round 2: the agency sees the comment on its criterion (and only on its own), answers and corrects its evidence
    assert admin.post(urls["advance"], {"state": Appraisal.ROUND_1}).status_code == 302
    assert Appraisal.objects.get(campaign=imported).state == Appraisal.ROUND_2
    page = agency.get(urls["agency_criterion"]).content.decode()
    assert COMMENT in page and 'action="' + urls["reply"] + '"' in page
    assert COMMENT not in other.get(urls["part_b"]).content.decode()
    assert other.post(urls["reply"], {"text": "giải trình của cơ quan khác"}).status_code == 404
    assert agency.post(urls["reply"], {"text": REPLY}).status_code == 302
    reply = AppraisalReply.objects.get(campaign=imported, criterion=CODE)
    assert (reply.part, reply.text, reply.updated_by) == (part, REPLY, accounts["agency_a"])
    response = agency.post(f"/chien-dich/{imported.pk}/ban-ghi/{metric.pk}/", _metric_post(metric, period="Năm 2024"))
    assert response.status_code == 302, response.content.decode()[:2000]
    metric.refresh_from_db()
    assert metric.data["period"] == "Năm 2024" and metric.version == 2

    # an appraiser never writes evidence: not by the record's form, not by a new record (nothing changed)
    response = appraiser.post(f"/chien-dich/{imported.pk}/ban-ghi/{metric.pk}/", _metric_post(metric, numerator="1"))
    assert response.status_code == 404
    new_record = f"/chien-dich/{imported.pk}/co-quan/{part.pk}/tieu-chi/{CODE}/them/metrics/"
    assert appraiser.post(new_record, _metric_post(metric, numerator="1")).status_code == 403
    assert appraiser.post(urls["reply"], {"text": "giải trình thay cơ quan"}).status_code == 403
    metric.refresh_from_db()
    assert metric.version == 2 and AppraisalReply.objects.get().text == REPLY

    # the appraiser sets the final points (round 2); an agency still cannot
    before = _points_state()
    assert agency.post(urls["points"], {"points": "1", "comment": "đề nghị giữ điểm"}).status_code == 403
    assert _points_state() == before
    assert appraiser.post(urls["points"], {"points": "1", "comment": FINAL_COMMENT}).status_code == 302
    assert AppraisalPoint.objects.get(criterion=CODE, round=2).points == "1"

    # the administrator closes the appraisal; nothing is changed after that
    assert admin.post(urls["advance"], {"state": Appraisal.ROUND_2}).status_code == 302
    assert Appraisal.objects.get(campaign=imported).state == Appraisal.CLOSED
    before = _points_state()
    appraiser.post(urls["points"], {"points": "0", "comment": "sửa sau khi đóng", "version": 1})
    agency.post(urls["reply"], {"text": "giải trình muộn", "version": 1})
    assert _points_state() == before and AppraisalReply.objects.get().text == REPLY

    # self, appraised (round 1, round 2) and final points side by side, on the council's page and the agency's
    row = _row(admin.get(urls["page"]).content.decode(), CODE)
    assert row == [CODE, "1/1", "0,5", "1", "1", "đã gửi"]
    assert _row(admin.get(urls["page"]).content.decode(), OTHER)[1:5] == ["0,25/0,25", "0", "—", "0"]
    page = agency.get(urls["agency_criterion"]).content.decode()
    for shown in (COMMENT, REPLY, FINAL_COMMENT):
        assert shown in page

    # every total is the one `par-score appraise` computes for the same points
    core = _core_totals(imported, tmp_path)
    result = appraised(imported).result
    assert result.totals == core.totals
    assert [(leaf.code, leaf.points, leaf.appraisal) for leaf in result.criteria] == [
        (leaf.code, leaf.points, leaf.appraisal) for leaf in core.criteria
    ]
    assert core.leaf(CODE).appraisal.final_points == 1 and core.leaf(OTHER).appraisal.final_points == 0
    assert core.totals.self_.points == core.appraisal.self_totals.self_.points - Decimal("0.25")  # 2.2.1 → 0
    page = admin.get(urls["page"]).content.decode()
    assert re.search(r'id="tong-sau-tham-dinh"><strong>([^<]+)</strong>', page).group(1) == vn(core.totals.self_.points)

    # the post-appraisal report (báo cáo tiếp thu, giải trình kết quả thẩm định) made from the workspace
    runs = f"/chien-dich/{imported.pk}/lan-cham/"
    assert "Báo cáo tiếp thu, giải trình kết quả thẩm định" in admin.get(runs).content.decode()
    response = admin.post(runs, {"kind": "tham-dinh"})
    assert response.status_code == 302, response.content.decode()[:3000]
    run = ScoringRun.objects.get(campaign=imported)
    assert (run.kind, run.appraised, run.self_points) == ("tham-dinh", True, core.totals.self_.points)
    listing = admin.get(response["Location"]).content.decode()
    names = re.findall(r'href="/chien-dich/\d+/lan-cham/1/([^"]+)"', listing)
    saved = json.loads(b"".join(admin.get(f"{runs}1/{api.RESULT_FILE}").streaming_content))
    assert saved["totals"]["self"]["points"] == str(core.totals.self_.points)
    report = next(n for n in names if n.endswith(".pdf"))
    assert b"".join(admin.get(f"{runs}1/{report}").streaming_content).startswith(b"%PDF")
    docx = next(n for n in names if n.endswith(".docx"))
    with zipfile.ZipFile(io.BytesIO(b"".join(admin.get(f"{runs}1/{docx}").streaming_content))) as archive:
        assert "tiếp thu, giải trình" in archive.read("word/document.xml").decode("utf-8").lower()


def _row(page: str, code: str) -> list[str]:
    """The cells of a criterion's row on the appraisal page, as text: code, self, round 1, round 2, final, reply."""
    match = re.search(rf'<tr>\s*<td><a href="[^"]*/tham-dinh/tieu-chi/{re.escape(code)}/">.*?</tr>', page, re.S)
    assert match, f"no row of {code}"
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", match.group(0), re.S)]
    return [cells[0], *cells[3:]]


def test_only_the_administrator_opens_moves_and_closes_the_appraisal(clients, imported):
    urls = _urls(imported)
    refused = ("agency_a", "auditor", "appraiser")
    for role in refused:
        assert clients[role].post(urls["open"], {"council": "Hội đồng"}).status_code == 403
    assert not Appraisal.objects.exists()
    clients["admin"].post(urls["open"], {"council": "Hội đồng thẩm định"})
    clients["appraiser"].post(urls["points"], {"points": "0,5", "comment": COMMENT})
    for state in (Appraisal.ROUND_1, Appraisal.ROUND_2):
        for role in refused:
            assert clients[role].post(urls["advance"], {"state": state}).status_code == 403
        assert Appraisal.objects.get().state == state
        clients["admin"].post(urls["advance"], {"state": state})
    assert Appraisal.objects.get().state == Appraisal.CLOSED
