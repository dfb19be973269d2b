"""`par-score explain SOURCE CODE`: one criterion's full justification, from a bundle, a saved result or a trace."""

from __future__ import annotations

from pathlib import Path

import click

from par_score import api
from par_score.audit.trace import is_trace, load_trace
from par_score.cli.common import (
    agency_option,
    catalogue_option,
    echo,
    is_saved_result,
    load_result,
)
from par_score.errors import InputError, Problem
from par_score.outputs.terminal.audit import appraisal_lines
from par_score.outputs.terminal.tables import explain_item, explain_leaf


@click.command("explain")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("code")
@catalogue_option
@agency_option
def command(source: Path, code: str, catalogue_ref: str | None, agency: str | None) -> None:
    """Giải thích điểm của tiêu chí CODE (vd. 1.1.2, hoặc 1.1 cho cả tiêu chí; T1, TR1 cho điểm thưởng, điểm trừ).

    SOURCE là bộ tài liệu kiểm chứng, hoặc (không cần chấm lại) tệp kết quả đã lưu: ket-qua.json,
    ket-qua-tham-dinh.json, hay nhật ký quyết định trace.jsonl.
    """
    if is_trace(source):
        result = load_trace(source)
    elif is_saved_result(source):
        result = load_result(source)
    else:
        result = api.score_source(source, catalogue_ref, agency=agency)
    leaves = [c for c in result.criteria if c.code == code or c.tc == code or c.area == code]
    items = [
        *(result.bonus.items if getattr(result, "bonus", None) else []),
        *(getattr(result, "deductions", None) or []),
    ]
    item = next((i for i in items if i.code == code.upper()), None)
    if not leaves and item is not None:
        click.echo(explain_item(result, item))
        return
    if not leaves:
        where = f"danh mục {result.catalogue.id}" if hasattr(result, "catalogue") else str(source)
        raise InputError(Problem(f"không có tiêu chí '{code}' trong kết quả ({where})"))
    echo("\n\n".join("\n".join([explain_leaf(result, leaf), *appraisal_lines(leaf)]) for leaf in leaves))
