"""Criteria catalogues: models, loading, total verification."""

from par_score.catalogue.index import CatalogueIndex, LeafEntry
from par_score.catalogue.load import (
    DEFAULT_CATALOGUE_ID,
    bundled_catalogues,
    load_catalogue,
)

__all__ = ["CatalogueIndex", "LeafEntry", "DEFAULT_CATALOGUE_ID", "bundled_catalogues", "load_catalogue"]
