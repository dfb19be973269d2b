"""The one sanitiser of every text that reaches a terminal (tables, explanations, audit texts, error messages).

Inputs are hostile until validated, and some texts reach the terminal before or without validation: a file name, an
invalid value quoted in an error, a saved result or trace read back. So whatever is printed is made inert here:

- control characters (C0 but newline, DEL, C1), bidirectional overrides and isolates, line/paragraph separators and
  lone surrogates (undecodable bytes of a file name) are shown escaped — `\\x1b`, `\\u202e` — never sent raw, so
  no text can move the cursor, retitle the window, clear the screen or reverse what follows;
- every line is bounded (MAX_LINE_CHARS), the rest counted ("… (còn N ký tự)");
- error output as a whole is bounded too (see `error_lines`): at most MAX_PROBLEMS problems and MAX_ERROR_CHARS
  characters, with a count of what was left out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

MAX_LINE_CHARS = 2_000
MAX_PROBLEM_CHARS = 1_000
MAX_PROBLEMS = 200
MAX_ERROR_CHARS = 64_000

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escaped(found: re.Match) -> str:
    code = ord(found.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape (a file name): show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code == 0x09:
        return "\\t"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _bounded(line: str, limit: int) -> str:
    if len(line) <= limit:
        return line
    return f"{line[:limit]}… (còn {len(line) - limit:_} ký tự)".replace("_", ".")


def terminal_text(text: object, *, one_line: bool = False, limit: int = MAX_LINE_CHARS) -> str:
    """`text` safe to print. Several lines are kept as lines (and tabs as tabs), each bounded to `limit`
    characters; `one_line` escapes newlines and tabs too (a value quoted inside a message, a problem)."""
    text = str(text)
    if one_line:
        return _bounded(_UNSAFE_ONE_LINE.sub(_escaped, text), limit)
    return "\n".join(_bounded(_UNSAFE.sub(_escaped, line), limit) for line in text.split("\n"))


def terminal_safe(function: Callable[..., str]) -> Callable[..., str]:
    """Decorate a function that renders text for the terminal: what it returns goes through terminal_text."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> str:
        return terminal_text(function(*args, **kwargs))

    return wrapper


def error_lines(headline: str, problems: Iterable[str]) -> list[str]:
    """An error report for the terminal: the headline with the number of problems, one line per problem (each
    bounded, escaped), and, past MAX_PROBLEMS problems or MAX_ERROR_CHARS characters, how many were left out."""
    problems = list(problems)
    lines = [terminal_text(f"{headline} ({len(problems)} lỗi):", one_line=True)]
    used = len(lines[0])
    shown = 0
    for problem in problems:
        line = "  - " + terminal_text(problem, one_line=True, limit=MAX_PROBLEM_CHARS)
        if shown >= MAX_PROBLEMS or used + len(line) > MAX_ERROR_CHARS:
            break
        lines.append(line)
        used += len(line) + 1
        shown += 1
    if shown < len(problems):
        lines.append(f"  … và {len(problems) - shown} lỗi khác không hiển thị (sửa các lỗi trên rồi chạy lại để xem).")
    return lines
