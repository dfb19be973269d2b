"""Evidence: models, loaders (YAML/JSON files and folders, xlsx workbooks) and checks against a catalogue."""
from par_score.evidence.checks import check_bundle
from par_score.evidence.load import load_bundle
from par_score.evidence.model import Bundle

__all__ = ["Bundle", "check_bundle", "load_bundle"]
