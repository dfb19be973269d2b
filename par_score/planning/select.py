"""The smallest set of changes that reaches a target: one option per group of leaves reading the same evidence
(one leaf, as a rule), fewest changes first, then the largest gain; exact.

A multiple-choice knapsack solved by dynamic programming over the number of changes: for every total number of
changes, the largest gain any choice of options reaches with exactly that many (options of different groups add
up, so keeping only the best gain per count loses nothing). The first count whose best gain reaches the target is
the smallest; ties in gain keep the choice found first (groups in catalogue order, options in their order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from par_score.numbers import ZERO


@dataclass(frozen=True)
class Choice:
    size: int  # number of changes
    gain: Decimal


def smallest_set(groups: Sequence[Sequence[Choice]], needed: Decimal) -> list[tuple[int, int]] | None:
    """(group, option) pairs of the smallest set whose gains add up to at least `needed`; None when even the best
    option of every group falls short. `needed` ≤ 0 gives the empty set."""
    if needed <= ZERO:
        return []
    best: dict[int, tuple[Decimal, tuple[tuple[int, int], ...]]] = {0: (ZERO, ())}
    for g, options in enumerate(groups):
        following = dict(best)
        for size, (gain, picks) in best.items():
            for o, option in enumerate(options):
                total = size + option.size
                candidate = gain + option.gain
                if total not in following or candidate > following[total][0]:
                    following[total] = (candidate, (*picks, (g, o)))
        best = following
    for size in sorted(best):
        gain, picks = best[size]
        if gain >= needed:
            return list(picks)
    return None


def best_of_each(groups: Sequence[Sequence[Choice]]) -> list[tuple[int, int]]:
    """Every group's option with the largest gain (the fewest changes among equals): the best attainable."""
    picks = []
    for g, options in enumerate(groups):
        if options:
            o = min(range(len(options)), key=lambda i: (-options[i].gain, options[i].size, i))
            picks.append((g, o))
    return picks
