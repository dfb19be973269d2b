"""Outcome counts of the fuzz suite, printed at the end of the pytest run (conftest.pytest_terminal_summary)."""

from __future__ import annotations

from collections import Counter

OUTCOMES: Counter[str] = Counter()


def record(outcome: str) -> None:
    OUTCOMES[outcome] += 1


def summary() -> str | None:
    if not OUTCOMES:
        return None
    total = sum(OUTCOMES.values())
    parts = ", ".join(f"{name}: {count}" for name, count in sorted(OUTCOMES.items()))
    return f"fuzz: {total} cases — {parts}"
