"""Write an evidence bundle (and an appraisal file) as YAML: sections in the documented order, decimals as exact text,
dates ISO (SafeDumper).

What is written reads back (par_score.io.readers + the evidence model) into exactly the same records; `bundle_yaml`
verifies that before returning.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from par_score.audit.appraisal import AppraisalFile
from par_score.errors import EngineError
from par_score.evidence.model import SECTIONS, BundlePart
from par_score.io.readers import _LimitedSafeLoader
from par_score.numbers import plain

FORMAT = "par-score/evidence@1"
APPRAISAL_FORMAT = "par-score/appraisal@1"


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # every record written out in full
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # list items indented under their key
        return super().increase_indent(flow, False)


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = plain(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(str, _text)


def part_data(part: BundlePart) -> dict[str, Any]:
    """Plain data of a bundle part in the documented key order; defaults left out (they read back the same)."""
    data: dict[str, Any] = {"format": FORMAT}
    if part.unit is not None:
        data["unit"] = part.unit.model_dump(exclude_none=True)
    if part.year is not None:
        data["year"] = part.year
    if part.catalogue is not None:
        data["catalogue"] = part.catalogue
    if part.contributor is not None:
        data["contributor"] = part.contributor
    if part.parts:
        data["parts"] = [p.model_dump(exclude_none=True) for p in part.parts]
    for section in SECTIONS:
        records = getattr(part, section)
        if records:
            data[section] = [record.model_dump(exclude_defaults=True) for record in records]
    if part.report is not None:
        data["report"] = part.report.model_dump(exclude_defaults=True)
    return data


def bundle_yaml(part: BundlePart, comment_lines: list[str] = ()) -> str:
    body = yaml.dump(
        part_data(part), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False
    )
    header = "".join(f"# {line}\n" for line in comment_lines)
    text = header + body
    reread = BundlePart.model_validate(yaml.load(text, Loader=_LimitedSafeLoader))
    if reread != part.model_copy(update={"format": FORMAT}):
        raise EngineError("Bộ tài liệu ghi ra không đọc lại được đúng như dữ liệu đã hợp nhất (lỗi nội bộ)")
    return text


def appraisal_yaml(appraisal: AppraisalFile, comment_lines: list[str] = ()) -> str:
    """An appraisal file (evidence/appraisal.md) as YAML that `par-score appraise` and `report --appraisal` read back
    into exactly these records (verified before returning)."""
    data = appraisal.model_dump(exclude_none=True, exclude_defaults=True)
    data = {"format": APPRAISAL_FORMAT, **{k: v for k, v in data.items() if k != "format"}}
    data["appraisals"] = [r.model_dump(exclude_defaults=False) for r in appraisal.appraisals]
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
    text = "".join(f"# {line}\n" for line in comment_lines) + body
    reread = AppraisalFile.model_validate(yaml.load(text, Loader=_LimitedSafeLoader))
    if reread != appraisal.model_copy(update={"format": APPRAISAL_FORMAT}):
        raise EngineError("Tệp thẩm định ghi ra không đọc lại được đúng như dữ liệu (lỗi nội bộ)")
    return text
