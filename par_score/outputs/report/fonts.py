"""The report's serif: real Times New Roman where the host has it, else the bundled Liberation Serif.

Liberation Serif is metric-compatible with Times New Roman and covers Vietnamese. The @font-face rules keep the
font's own family name so that the PDF's font list tells which serif was embedded.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from par_score.io.resources import fonts_dir

BUNDLED_FAMILY = "Liberation Serif"
FONT_STACK = "'Times New Roman', 'Liberation Serif'"
BUNDLED_FACES = (
    ("normal", "normal", "LiberationSerif-Regular.ttf"),
    ("bold", "normal", "LiberationSerif-Bold.ttf"),
    ("normal", "italic", "LiberationSerif-Italic.ttf"),
    ("bold", "italic", "LiberationSerif-BoldItalic.ttf"),
)


def font_faces(folder: Path) -> str:
    """@font-face rules for the bundled serif (the stylesheet asks for Times New Roman first)."""
    return "\n".join(
        f'@font-face {{ font-family: "{BUNDLED_FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(folder / filename).as_uri()}") format("truetype"); }}'
        for weight, style, filename in BUNDLED_FACES
    )


@lru_cache(maxsize=1)
def _font_coverage() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(fonts_dir() / BUNDLED_FACES[0][2], lazy=True) as font:
        return frozenset(font.getBestCmap())


def uncovered_characters(text: str) -> list[str]:
    """Characters the bundled serif cannot draw (they would fall back to another font or a box)."""
    coverage = _font_coverage()
    missing = {ch for ch in text if unicodedata.category(ch)[0] != "C" and ord(ch) not in coverage}
    return sorted(missing)
