"""The bundled example imported into a campaign scores as the CLI scores it, and its main pages answer each role."""

from par_score import api
from par_score.io.resources import example_bundle
from par_score.web.workspace.parts import province
from web.helpers import AGENCY_A, part_of


def test_the_imported_example_scores_like_the_cli_and_its_pages_answer(imported, clients):
    scored = province(imported)
    assert scored.problems == []
    assert scored.result.criteria == api.score_source(example_bundle()).criteria
    part = part_of(imported, AGENCY_A)
    for role in ("admin", "agency_a", "auditor"):
        response = clients[role].get(f"/chien-dich/{imported.pk}/co-quan/{part.pk}/")
        assert response.status_code == 200, role
        assert "6,5 / 6,5 điểm" in response.content.decode()  # with 7.4.3, which Sở Tư pháp leads since issue 10
    dashboard = clients["admin"].get(f"/chien-dich/{imported.pk}/tong-hop/").content.decode()
    assert "59,25 / 62 điểm tự đánh giá (95,56 %)" in dashboard
    criterion = clients["agency_a"].get(f"/chien-dich/{imported.pk}/co-quan/{part.pk}/tieu-chi/2.1.1/")
    assert criterion.status_code == 200 and "Lưu số liệu" in criterion.content.decode()
