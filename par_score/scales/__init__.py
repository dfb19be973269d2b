"""Scale kinds: one module per way of turning a leaf's evidence into points (see _kind.py for what a module owns).

Every public module of this package is a kind and is registered by being here: adding a kind is one new module
(and its tests). `KINDS` maps each `type` to its ScaleKind; `Scale` is the tagged union of their declarations that
a catalogue leaf's `scale` field accepts.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Annotated, Union

from pydantic import Field

from par_score.scales._kind import (
    Change,
    Figure,
    Found,
    Horizon,
    IssueDocument,
    Proposal,
    ScaleKind,
    SendReport,
    SetFigure,
    Standing,
    SyntheticBuilder,
)


def _discover() -> dict[str, ScaleKind]:
    kinds: dict[str, ScaleKind] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        kind = ScaleKind(importlib.import_module(f"{__name__}.{info.name}"))
        if kind.type in kinds:
            raise TypeError(f"scale kind '{kind.type}' is defined twice")
        kinds[kind.type] = kind
    return kinds


KINDS = _discover()
Scale = Annotated[Union[tuple(kind.model for kind in KINDS.values())], Field(discriminator="type")]  # noqa: UP007


def kind_of(scale) -> ScaleKind:
    """The kind of a declared scale (a catalogue leaf's `scale`)."""
    return KINDS[scale.type]


__all__ = [
    "KINDS",
    "Change",
    "Figure",
    "Found",
    "Horizon",
    "IssueDocument",
    "Proposal",
    "Scale",
    "ScaleKind",
    "SendReport",
    "SetFigure",
    "Standing",
    "SyntheticBuilder",
    "kind_of",
]
