"""The check every render runs: each printed total equals the sum of its printed rows, column by column.

It reads the figures as printed (Vietnamese text, after any rounding), as an appraiser adding up a column would. A
mismatch is a defect of par_score, never of the user's data: ReportSumError (exit code 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from par_score.errors import EngineError
from par_score.numbers import vn
from par_score.outputs.report.figures import BLANK, EXCLUDED, PENDING, Column, Row


class ReportSumError(EngineError):
    """A printed total is not the sum of its printed rows."""


def printed_number(text: str) -> Decimal:
    """A printed Vietnamese number ("10.120,5", "−0,25") as an exact Decimal; ValueError when it is not one."""
    raw = text.strip().replace("\u2212", "-").replace(".", "").replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def column_problems(table: str, columns: Sequence[Column], rows: Sequence[Row]) -> list[str]:
    """Every place where a printed total of a summed column is not the sum of its printed rows."""
    by_key = {row.key: row for row in rows}
    problems: list[str] = []
    for row in rows:
        if not row.children:
            continue
        children = [by_key[key] for key in row.children]
        for column in columns:
            if not column.summed:
                continue
            problem = _cell_problem(
                row.cells.get(column.key, BLANK), [c.cells.get(column.key, BLANK) for c in children]
            )
            if problem:
                problems.append(f"{table}, cột “{column.label}”, dòng {row.label}: {problem}")
    return problems


def _kind(text: str) -> str:
    if text in (BLANK, EXCLUDED):
        return "none"
    if text == PENDING:
        return "pending"
    printed_number(text)
    return "number"


def _cell_problem(total: str, parts: list[str]) -> str | None:
    try:
        kinds = [_kind(part) for part in parts]
        total_kind = _kind(total)
    except ValueError as exc:
        return f"ô “{exc}” không phải là số"
    if total_kind == "pending":
        return None if "pending" in kinds else f"tổng ghi “{PENDING}” nhưng mọi dòng đều đã có điểm"
    if "pending" in kinds:
        return f"tổng ghi “{total}” nhưng có dòng “{PENDING}”"
    numbers = [printed_number(part) for part, kind in zip(parts, kinds, strict=True) if kind == "number"]
    if total_kind == "none":
        return None if not numbers else f"tổng để trống nhưng các dòng có điểm (cộng {vn(sum(numbers, Decimal(0)))})"
    expected = sum(numbers, Decimal(0))
    if printed_number(total) != expected:
        return f"tổng ghi “{total}”, các dòng cộng lại được {vn(expected)}"
    return None


def check_sums(tables: Sequence[tuple[str, Sequence[Column], Sequence[Row]]]) -> None:
    """Raise ReportSumError listing every column whose printed total is not the sum of its printed rows."""
    problems = [p for name, columns, rows in tables for p in column_problems(name, columns, rows)]
    if problems:
        raise ReportSumError("báo cáo có cột điểm không cộng đúng (lỗi chương trình)", problems)
