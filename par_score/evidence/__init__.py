"""Evidence: records (tài liệu kiểm chứng), reading YAML/JSON files and folders and xlsx workbooks, merging parts."""

from par_score.evidence.load import load_bundle
from par_score.evidence.model import Bundle

__all__ = ["Bundle", "load_bundle"]
