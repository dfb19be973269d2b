"""What to tell a person who handed par_score the wrong kind of file: the exact command, or how to save it."""

from __future__ import annotations

import re
from pathlib import Path

SPREADSHEET_ADVICE = {
    ".xls": (
        "tệp Excel cũ (.xls): par-score đọc bảng tính .xlsx — hãy mở tệp bằng Excel, chọn Lưu thành (Save As) › "
        "Sổ làm việc Excel (*.xlsx); hoặc bằng LibreOffice Calc: Tệp › Lưu thành… › kiểu tệp Excel 2007-365 (.xlsx)"
    ),
    ".ods": (
        "bảng tính OpenDocument (.ods): par-score đọc bảng tính .xlsx — hãy mở tệp bằng LibreOffice Calc, chọn "
        "Tệp › Lưu thành… › kiểu tệp Excel 2007-365 (.xlsx) và chọn 'Dùng định dạng Excel 2007-365!'"
    ),
    ".csv": (
        "tệp CSV không có các sheet của mẫu bảng tính: hãy tạo mẫu bằng 'par-score template --out mau.xlsx', chép "
        "số liệu vào đúng sheet, đúng cột, rồi lưu dạng .xlsx"
    ),
    ".xlsm": "bảng tính có macro (.xlsm): hãy lưu lại dạng Sổ làm việc Excel (*.xlsx), không macro",
    ".xlsb": "bảng tính nhị phân (.xlsb): hãy mở bằng Excel và lưu lại dạng Sổ làm việc Excel (*.xlsx)",
}
READABLE = "par-score đọc tệp .yaml, .yml, .json (bộ tài liệu) và .xlsx (bảng tính)"


def unsupported_file(path: Path) -> str:
    """Why a file cannot be read, and what to do, from its suffix."""
    return (
        SPREADSHEET_ADVICE.get(path.suffix.lower())
        or f"định dạng '{path.suffix or '(không có đuôi)'}' không hỗ trợ; {READABLE}"
    )


def shell_word(text: str) -> str:
    """An argument as typed in a terminal (Windows or Linux): quoted when it holds spaces or special characters."""
    if text and re.fullmatch(r"[\w./\\:@%+=,-]+", text):
        return text
    return '"' + text.replace('"', '\\"') + '"'


def merge_command(parts: list[Path], out: Path) -> str:
    """The `par-score merge` command that combines `parts` into `out`, then the command that scores it."""
    merge = " ".join(["par-score merge", *(shell_word(str(p)) for p in parts), "--out", shell_word(str(out))])
    return f"{merge} rồi chấm: par-score score {shell_word(str(out))}"


def merged_name(folder: Path) -> Path:
    """Where the merge of a folder's parts goes: beside the folder (so that the folder holds only the parts)."""
    name = folder.resolve().name or "bo-tai-lieu"
    return folder.parent / f"{name}.yaml" if str(folder.parent) not in ("", ".") else Path(f"{name}.yaml")
