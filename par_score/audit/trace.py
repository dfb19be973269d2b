"""The decision log (trace.jsonl): one JSON line per leaf, in catalogue order, built from a ScoreResult.

Each line carries the leaf's result exactly as in ket-qua.json (rule fired, inputs, evidence, failed conditions,
points, status…) plus the names of its area and TC, so that a leaf can be explained from the trace alone.
Keys come in a fixed order; decimals are strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from par_score.errors import InputError, Problem
from par_score.io.readers import read_bytes_limited
from par_score.io.text import nfc
from par_score.io.validation import problems_from
from par_score.scoring.result import LeafOut, ScoreResult

TRACE_FORMAT = "par-score/trace@1"
TRACE_FILE = "trace.jsonl"
_CONTEXT_KEYS = ("format", "area_name", "tc_name")


def trace_records(result: ScoreResult) -> list[dict]:
    """One dict per leaf: format, the leaf's fields in model order, area_name after area, tc_name after tc."""
    area_names = {a.code: a.name for a in result.areas}
    tc_names = {c.code: c.name for a in result.areas for c in a.criteria}
    records = []
    for leaf in result.criteria:
        line: dict = {"format": TRACE_FORMAT}
        for key, value in leaf.model_dump(mode="json", by_alias=True).items():
            line[key] = value
            if key == "area":
                line["area_name"] = area_names.get(leaf.area, "")
            elif key == "tc":
                line["tc_name"] = tc_names.get(leaf.tc, "")
        records.append(line)
    return records


def trace_text(result: ScoreResult) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in trace_records(result))


@dataclass(frozen=True)
class NamedNode:
    code: str
    name: str
    criteria: list[NamedNode] = field(default_factory=list)


@dataclass(frozen=True)
class TraceView:
    """A trace read back: the leaves, and the area → TC names (what explaining a leaf needs)."""

    file: str
    criteria: list[LeafOut]
    areas: list[NamedNode]

    def leaf(self, code: str) -> LeafOut | None:
        return next((c for c in self.criteria if c.code == code), None)


def is_trace(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".jsonl"


def load_trace(path: Path) -> TraceView:
    if not path.is_file():
        raise InputError(Problem("không tìm thấy tệp nhật ký quyết định (trace.jsonl)", file=str(path)))
    try:
        text = read_bytes_limited(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(f"không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start})", file=str(path))) from None
    leaves: list[LeafOut] = []
    areas: dict[str, tuple[str, dict[str, str]]] = {}
    problems: list[Problem] = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        if not raw_line.strip():
            continue
        record = f"dòng {number}"
        try:
            data = json.loads(nfc(raw_line), parse_float=Decimal)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"JSON không hợp lệ ở cột {exc.colno}: {exc.msg}", file=str(path), record=record))
            continue
        if not isinstance(data, dict) or data.get("format") != TRACE_FORMAT:
            problems.append(
                Problem(
                    f"không phải một dòng nhật ký quyết định (cần format: {TRACE_FORMAT})",
                    file=str(path),
                    record=record,
                    field="format",
                )
            )
            continue
        context = {k: data.pop(k, "") for k in _CONTEXT_KEYS}
        try:
            leaf = LeafOut.model_validate(data)
        except ValidationError as exc:
            problems.extend(
                Problem(p.message, p.file, record + (f" › {p.record}" if p.record else ""), p.field)
                for p in problems_from(exc, data, str(path))
            )
            continue
        leaves.append(leaf)
        area_name, tcs = areas.setdefault(leaf.area, (str(context["area_name"]), {}))
        tcs.setdefault(leaf.tc, str(context["tc_name"]))
    if problems:
        raise InputError(problems)
    if not leaves:
        raise InputError(Problem("tệp nhật ký quyết định không có dòng nào", file=str(path)))
    named = [
        NamedNode(code, name, [NamedNode(tc, tc_name) for tc, tc_name in tcs.items()])
        for code, (name, tcs) in areas.items()
    ]
    return TraceView(file=str(path), criteria=leaves, areas=named)
