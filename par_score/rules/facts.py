"""What a leaf read from its evidence: its state, the values its bands compare, and how each value was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class InputValue(BaseModel):
    """One value a leaf read, as shown to a user and an auditor (ket-qua.json's `inputs`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    label: str
    value: str  # canonical machine text: "5928/6000", "2024-01-15", "97.5%"
    display: str  # Vietnamese: "5.928/6.000 = 98,8 %"
    source: str = ""


@dataclass(frozen=True)
class LeafFacts:
    code: str
    state: str
    values: dict[str, Decimal] = field(default_factory=dict)
    inputs: tuple[InputValue, ...] = ()
    documents: tuple[str, ...] = ()
    not_applicable_reason: str | None = None
