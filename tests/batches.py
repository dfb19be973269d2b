"""Folders of synthetic bundles (one per unit) for batch and kill tests."""

from __future__ import annotations

import random
from pathlib import Path

from par_score.catalogue import CatalogueIndex
from par_score.testing.synthetic import synthetic_bundle, write_bundle


def make_batch(
    folder: Path, index: CatalogueIndex, count: int, *, seed: int = 1, suffixes=(".json", ".yaml")
) -> list[Path]:
    """`count` file bundles don-vi-0001… in `folder`, alternating the given suffixes; the same seed, the same data."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for number in range(1, count + 1):
        suffix = suffixes[(number - 1) % len(suffixes)]
        paths.append(write_bundle(synthetic_bundle(index, rng, number), folder / f"don-vi-{number:04d}{suffix}"))
    return paths
