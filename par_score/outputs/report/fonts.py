"""The report's serif: real Times New Roman where the host has it, else the bundled Liberation Serif.

Liberation Serif is metric-compatible with Times New Roman and covers Vietnamese. The @font-face rules keep the
font's own family name so that the PDF's font list tells which serif was embedded.
"""

from __future__ import annotations

import base64
import io
import string
import unicodedata
from functools import lru_cache

from par_score.io.resources import fonts_dir

BUNDLED_FAMILY = "Liberation Serif"
BUNDLED_FACES = (
    ("normal", "normal", "LiberationSerif-Regular.ttf"),
    ("bold", "normal", "LiberationSerif-Bold.ttf"),
    ("normal", "italic", "LiberationSerif-Italic.ttf"),
    ("bold", "italic", "LiberationSerif-BoldItalic.ttf"),
)


ALWAYS = string.printable + "…—–−≤≥≈×→“”‘’"  # kept in every subset: what an office adds when editing


@lru_cache(maxsize=8)
def _subset(filename: str, characters: str) -> bytes:
    """The face reduced to `characters` (deterministic: no timestamp is recomputed)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]  # the family name stays, so the PDF's font list names the serif embedded
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: not needed, and fontTools cannot subset them
    options.layout_features = ["*"]
    with TTFont(fonts_dir() / filename, recalcTimestamp=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def font_faces(text: str) -> str:
    """@font-face rules embedding the bundled serif as data: URIs, each face reduced to the characters of `text`
    (the stylesheet asks for Times New Roman first). Nothing refers to a path of the machine that rendered it, so the
    HTML can be moved or mailed and still shows the same serif."""
    characters = "".join(sorted(set(ALWAYS) | {ch for ch in text if unicodedata.category(ch)[0] != "C"}))
    rules = []
    for weight, style, filename in BUNDLED_FACES:
        data = base64.b64encode(_subset(filename, characters)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{BUNDLED_FAMILY}"; font-weight: {weight}; font-style: {style}; '
            f'src: url("data:font/ttf;base64,{data}") format("truetype"); }}'
        )
    return "\n".join(rules)


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
