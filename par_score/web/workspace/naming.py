"""ASCII names for files and ids made from Vietnamese text ("Sở Tư pháp" → "so-tu-phap")."""

from __future__ import annotations

import re
import unicodedata

_NOT_NAME = re.compile(r"[^a-z0-9]+")


def slug(text: str, *, limit: int = 60) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    return _NOT_NAME.sub("-", ascii_text).strip("-")[:limit].strip("-")


def agency_file_names(agencies: list[str]) -> dict[str, str]:
    """One YAML file name per agency, unique even if two names fold alike."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for agency in agencies:
        base = slug(agency) or "co-quan"
        name, n = base, 1
        while name in used or name in (HEADER_STEM, COMMON_STEM):
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        names[agency] = f"{name}.yaml"
    return names


HEADER_STEM = "thong-tin-chung"
HEADER_FILE = f"{HEADER_STEM}.yaml"
COMMON_STEM = "so-lieu-chung"  # what the administrator enters for the whole campaign
COMMON_FILE = f"{COMMON_STEM}.yaml"


def safe_file_name(name: str, *, limit: int = 120) -> str:
    """A user's file name fit to be shown and used in a temporary folder: no folders, no control characters."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1])
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if len(cleaned) > limit:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = (stem[: limit - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 10 else cleaned[:limit]
    return cleaned or "tep"
