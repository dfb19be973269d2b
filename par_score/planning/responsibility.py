"""Who answers for a leaf: its lead agency (chủ trì, from the catalogue index) and its co-responsible agencies
(phối hợp) when the catalogue declares them.

`co_agencies` is read with a default: catalogues gain the field in another change; until then no leaf has any.
"""

from __future__ import annotations

from par_score.catalogue import LeafEntry


def co_agencies(entry: LeafEntry) -> tuple[str, ...]:
    """The co-responsible agencies of a leaf: its own, else its criterion's, else its area's (as declared)."""
    for holder in (entry, entry.leaf, entry.criterion, entry.area):
        declared = getattr(holder, "co_agencies", None)
        if declared:
            return tuple(name for name in declared if name != entry.agency)
    return ()
