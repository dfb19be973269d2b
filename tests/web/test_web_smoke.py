from par_score import api
from web.helpers import AGENCY_A, part_of


def test_imported_example_scores_like_the_cli(imported, clients):
    from par_score.web.workspace.parts import province

    scored = province(imported)
    assert scored.problems == []
    expected = api.score_source(
        api.example_bundle() if hasattr(api, "example_bundle") else "evidence/examples/tay-ninh-2024"
    )
    assert scored.result.totals.self_.points == expected.totals.self_.points
    part = part_of(imported, AGENCY_A)
    for role in ("admin", "agency_a", "auditor"):
        response = clients[role].get(f"/chien-dich/{imported.pk}/co-quan/{part.pk}/")
        assert response.status_code == 200, (role, response.content[:2000])
    response = clients["admin"].get(f"/chien-dich/{imported.pk}/tong-hop/")
    assert response.status_code == 200
    response = clients["agency_a"].get(f"/chien-dich/{imported.pk}/co-quan/{part.pk}/tieu-chi/2.1.1/")
    assert response.status_code == 200, response.content.decode()[:3000]
