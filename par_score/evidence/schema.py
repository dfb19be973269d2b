"""The JSON Schema of one evidence file, published as evidence/schema/evidence.schema.json.

Regenerate after changing the evidence model:
`python -m par_score.evidence.schema > evidence/schema/evidence.schema.json`
"""

from __future__ import annotations

import json
from typing import Any

from par_score.evidence.model import BundlePart


def json_schema() -> dict[str, Any]:
    schema = BundlePart.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "par_score evidence bundle file (par-score/evidence@1)"
    return schema


def render() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(render(), end="")
