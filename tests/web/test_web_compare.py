"""Beside other campaigns: for a province's own index (sở) every campaign of the catalogue and year ranked as the
batch ranks units (par_score.outputs.ranking: a shared rank for a tie); a campaign beside an earlier one of the same
unit (last year's, when the catalogue has one) with the CLI's diff per criterion."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.utils import timezone
from own_index import full_marks, lose

from par_score import api
from par_score.outputs.ranking import RankRow, publication
from par_score.web.workspace.appraisals import appraised
from par_score.web.workspace.files import Upload
from par_score.web.workspace.importing import import_bundle
from par_score.web.workspace.models import AgencyPart, Campaign, Membership, Record
from par_score.web.workspace.records import save_record
from web.helpers import AGENCY_A, example_zip, make_campaign, part_of

SO = "chi-so-cchc-so-tham-chieu-2026"
PROFILE = "co-tthc"
CLUSTER = "khoi-co-quan-chuyen-mon"


def _so_campaign(code: str, name: str, bundle: dict, admin, tmp_path) -> Campaign:
    index = api.load_catalogue(SO)
    campaign = Campaign.objects.create(
        name=name,
        unit_code=code,
        unit_name=f"Đơn vị {code}",
        unit_level="so",
        unit_profile=PROFILE,
        unit_cluster=CLUSTER,
        year=index.year,
        catalogue_id=SO,
        deadline=timezone.now() + dt.timedelta(days=30),
    )
    for position, agency in enumerate(index.agencies()):
        AgencyPart.objects.create(campaign=campaign, agency=agency, position=position)
    path = tmp_path / f"{code}.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False, default=str), encoding="utf-8")
    import_bundle(admin, campaign, Upload(path, path.name, path.stat().st_size))
    return campaign


def test_the_ranking_of_a_sos_campaigns_is_the_batchs(clients, accounts, tmp_path):
    index = api.load_catalogue(SO)
    admin = accounts["admin"]
    full = _so_campaign(
        "so-tu-phap",
        "Sở Tư pháp 2026",
        full_marks(index, profile=PROFILE, cluster=CLUSTER, code="so-tu-phap"),
        admin,
        tmp_path,
    )
    tied = _so_campaign(
        "so-y-te", "Sở Y tế 2026", full_marks(index, profile=PROFILE, cluster=CLUSTER, code="so-y-te"), admin, tmp_path
    )
    worse = lose(index, full_marks(index, profile=PROFILE, cluster=CLUSTER, code="so-xay-dung"), index.leaves[0].code)
    lower = _so_campaign("so-xay-dung", "Sở Xây dựng 2026", worse, admin, tmp_path)
    expected = publication([RankRow.of(appraised(c).result, c.name) for c in (full, tied, lower)], index)

    response = clients["admin"].get(f"/chien-dich/{full.pk}/xep-hang/")
    assert response.status_code == 200
    shown = re.findall(r"<tr><td>(\d+|—)</td>\s*<td>(?:<a[^>]*>)?([^<]+)<", response.content.decode())
    tables = [*expected.clusters, *([expected.overall] if expected.overall else [])]
    assert shown == [(str(s.rank) if s.rank else "—", s.row.unit_name) for c in tables for s in c.standings]
    ranks = {name: rank for rank, name in shown}
    assert ranks["Đơn vị so-tu-phap"] == ranks["Đơn vị so-y-te"] == "1" and ranks["Đơn vị so-xay-dung"] == "3"
    # a campaign's auditor or member sees no other campaign's standing
    Membership.objects.create(campaign=full, user=accounts["auditor"], role="auditor")
    assert clients["auditor"].get(f"/chien-dich/{full.pk}/xep-hang/").status_code == 403


def test_a_campaign_beside_an_earlier_one_of_its_unit(clients, imported, accounts, tmp_path):
    last = make_campaign("Tự đánh giá tháng 10")  # the bundled catalogue has one year: an earlier campaign of it
    path = example_zip(tmp_path)
    import_bundle(accounts["admin"], last, Upload(path, path.name, path.stat().st_size))
    part = part_of(imported, AGENCY_A)
    metric = Record.objects.get(part=part, data__indicator="ty_le_vbqppl_ban_hanh_dung_ke_hoach")
    save_record(accounts["agency_a"], part, "metrics", {**metric.data, "numerator": "40"}, record=metric, version=1)
    response = clients["admin"].get(f"/chien-dich/{imported.pk}/so-sanh-nam/")
    page = response.content.decode()
    assert response.status_code == 200 and "A: Tự đánh giá tháng 10 (năm 2024)" in page
    assert "Tiêu chí thay đổi (1)" in page
    row = re.search(r"<tr><td>2\.1\.1</td>.*?</tr>", page, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[2:5] == ["1", "0,5", "-0,5"]
    assert clients["agency_a"].get(f"/chien-dich/{imported.pk}/so-sanh-nam/").status_code == 403
