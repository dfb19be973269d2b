"""The installed version of par_score (recorded in every run manifest)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("par-score")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
