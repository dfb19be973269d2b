"""Errors the user can act on. Every message is Vietnamese and names the file, the record and the field."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field

SHEET_RECORD_PREFIX = "Sheet '"  # a workbook location: record "Sheet 'Số liệu', dòng 14", field = the column header


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file."""

    message: str
    file: str | None = None
    record: str | None = None
    field: str | None = None

    def render(self) -> str:
        parts = []
        in_sheet = bool(self.record and self.record.startswith(SHEET_RECORD_PREFIX))
        if self.file:
            parts.append(f"Tệp '{self.file}'")
        if self.record:
            parts.append(self.record if in_sheet else f"bản ghi {self.record}")
        if self.field:
            if in_sheet:
                parts.append(f"cột '{self.field}'")
            elif self.field.startswith("--"):
                parts.append(f"tùy chọn '{self.field}'")  # a command-line option
            else:
                parts.append(f"trường '{self.field}'")
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message


class ParScoreError(Exception):
    """Base class of every error par_score reports to a user (exit code 2)."""

    exit_code = 2
    headline = "Lỗi"

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(p.render() for p in self.problems)


class InputError(ParScoreError):
    """Evidence, appraisal or result files that cannot be used as they are."""

    headline = "Lỗi: dữ liệu đầu vào không hợp lệ"


class CatalogueError(ParScoreError):
    """A criteria catalogue that cannot be loaded or does not add up."""

    headline = "Lỗi: danh mục tiêu chí không hợp lệ"


class OutputError(ParScoreError):
    """An output that cannot be written (exists without --force, folder not writable, …)."""

    headline = "Lỗi: không ghi được kết quả"


@dataclass
class EngineError(Exception):
    """The rule engine and the pure evaluator disagree, or an action failed: a defect, never a user error."""

    message: str
    details: list[str] = field(default_factory=list)

    exit_code = 1

    def __str__(self) -> str:
        return "\n".join([self.message, *self.details])


class NotRegularFile(OSError):
    """A device, FIFO, socket or folder where the bytes of a file are wanted (see io.files.open_regular)."""

    def __init__(self, filename: str, *, folder: bool = False):
        kind = "thư mục" if folder else "tệp đặc biệt (thiết bị, FIFO hoặc socket)"
        super().__init__(None, f"không phải tệp dữ liệu thông thường: đây là {kind}")
        self.filename = filename


_OS_REASONS = {
    errno.ENOENT: "không tồn tại",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.ELOOP: "vòng lặp liên kết (symlink)",
    errno.EISDIR: "là thư mục, không phải tệp",
    errno.ENOTDIR: "một phần đường dẫn không phải thư mục",
    errno.ENOSPC: "hết dung lượng đĩa",
    errno.EROFS: "ổ đĩa chỉ đọc",
}


def os_reason(exc: BaseException) -> str:
    """The Vietnamese reason of an OSError (the system's own text only as a last resort)."""
    if isinstance(exc, NotRegularFile):
        return str(exc.strerror)
    code = getattr(exc, "errno", None)
    if code in _OS_REASONS:
        return _OS_REASONS[code]
    return f"lỗi hệ thống tệp: {getattr(exc, 'strerror', None) or exc}"
