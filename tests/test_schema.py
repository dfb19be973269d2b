"""The published JSON Schema of evidence files is the model's own schema, never a hand-kept copy that drifts."""

from par_score.evidence.schema import render
from par_score.io.resources import bundled_dir


def test_committed_json_schema_matches_the_evidence_model():
    committed = (bundled_dir("evidence") / "schema" / "evidence.schema.json").read_text(encoding="utf-8")
    assert committed == render(), (
        "regenerate: python -m par_score.evidence.schema > evidence/schema/evidence.schema.json"
    )
