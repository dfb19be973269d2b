"""`par-score rerun MANIFEST`: re-hash the recorded inputs, re-score, compare with the recorded result.

Exit 0: inputs unchanged and the result identical; 1: an input changed (or the result differs); 2: user error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from par_score.audit.rerun import rerun
from par_score.cli.common import echo
from par_score.outputs.terminal.audit import rerun_checks, rerun_outcome


@click.command("rerun")
@click.argument("manifest", type=click.Path(path_type=Path))
def command(manifest: Path) -> None:
    """Chạy lại một lần chấm từ tệp MANIFEST (manifest.json) và đối chiếu.

    Tính lại mã băm sha256 của danh mục, mọi tệp bằng chứng và tệp đính kèm đã ghi; chỉ rõ tệp nào đã thay đổi,
    bị xóa hoặc mới thêm; chấm lại và so với ket-qua.json đã ghi: "giống hệt" hoặc các tiêu chí thay đổi.
    Mã thoát: 0 — giống hệt; 1 — đầu vào hoặc kết quả đã thay đổi; 2 — lỗi dữ liệu đầu vào.
    """
    report = rerun(manifest, on_checked=lambda r: echo(rerun_checks(r)))
    echo(rerun_outcome(report))
    if report.exit_code:
        sys.exit(report.exit_code)
