"""A console that cannot show Vietnamese never crashes the program: what it cannot encode is written without its
diacritics ("Kết quả" → "Ket qua", "đ" → "d"), and what has no plain form as "?".

Python's stdout and stderr use the console's encoding (cp1252, cp437 on Windows when redirected, "ascii" in some
containers) with strict errors: one Vietnamese letter would end the command with a UnicodeEncodeError. Installing
this handler on both streams keeps every message readable and the exit code the command chose.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

HANDLER = "par_score.transliterate"
_PLAIN = {"đ": "d", "Đ": "D", "–": "-", "—": "-", "…": "...", "≈": "~", "≥": ">=", "≤": "<=", "→": "->", "›": ">"}


def _plain(char: str) -> str:
    if char in _PLAIN:
        return _PLAIN[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and base.isascii() else "?"


def _transliterate(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(_plain(c) for c in error.object[error.start : error.end]), error.end


codecs.register_error(HANDLER, _transliterate)


def install() -> None:
    """Write stdout and stderr through the handler (each stream keeps its encoding)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(errors=HANDLER)
        except (ValueError, OSError):  # a stream that cannot be reconfigured (closed, detached): left as it is
            continue
