"""Text normalisation: everything that enters par_score is Unicode NFC."""

from __future__ import annotations

import unicodedata
from typing import Any


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfc_deep(value: Any) -> Any:
    """NFC-normalise every string (keys included) inside nested dicts and lists."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {nfc_deep(k): nfc_deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc_deep(v) for v in value]
    return value


def shorten(value: object, limit: int = 80) -> str:
    """A value as quoted inside a message: at most `limit` characters, the cut marked ("…")."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"
