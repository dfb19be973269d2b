"""par_score: self-scoring engine for the Vietnamese provincial PAR INDEX (Chỉ số cải cách hành chính)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("par-score")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
