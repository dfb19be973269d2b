"""The scale kinds by type: filled in once, by par_score.scales, when the package is imported.

Kinds that read through other kinds (a composite criterion's parts) and a pickled kind look them up here, at call
time, after the package has registered every kind."""

from __future__ import annotations

from typing import Any

KINDS: dict[str, Any] = {}  # type → ScaleKind
