"""Where the bundled data lives: the source tree in a checkout, par_score/_bundled/ in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # par_score/


def bundled_dir(name: str) -> Path:
    """Return the folder of bundled data `name` ("criteria", "evidence" or "reports")."""
    packaged = _PACKAGE_DIR / "_bundled" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / name


def fonts_dir() -> Path:
    return _PACKAGE_DIR / "data" / "fonts"


def example_bundle(name: str = "tay-ninh-2024") -> Path:
    return bundled_dir("evidence") / "examples" / name
