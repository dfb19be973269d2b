"""Audit trail: run manifest and decision log beside every result, rerun, appraisal (thẩm định) and result diffs.

- manifest.py  RunManifest (manifest.json): what a run read (hashes), with which versions and options, what it wrote
- trace.py     the decision log (trace.jsonl): one JSON line per leaf, in catalogue order; reading it back
- record.py    audit_trail(): the manifest.json and trace.jsonl of a run, written with its results as one set
- rerun.py     re-hash the manifest's files, re-score, compare with the recorded result
- appraisal.py appraisal files and applying them to a result (self / appraised / final points)
- diff.py      per-criterion, per-area and total differences between two results, with reasons
"""

from par_score.audit.manifest import MANIFEST_FILE, RunManifest
from par_score.audit.record import audit_trail, audit_trail_files, write_audit_trail
from par_score.audit.trace import TRACE_FILE

__all__ = ["MANIFEST_FILE", "TRACE_FILE", "RunManifest", "audit_trail", "audit_trail_files", "write_audit_trail"]
