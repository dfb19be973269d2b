"""Fixed-width terminal columns that count what a reader sees (combining diacritics take no column)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def fit(text: str, columns: int) -> str:
    """Left-aligned in `columns`, cut with "…" when longer."""
    if width(text) > columns:
        while width(text) > columns - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (columns - width(text))


def right(text: str, columns: int) -> str:
    """Right-aligned in `columns` (never cut: numbers must stay whole)."""
    return " " * max(0, columns - width(text)) + text
