"""The run manifest (manifest.json): what a run read, with what, how, and what it wrote.

Everything in it is determined by the inputs except `run_id` and `created_at`, so two runs on the same inputs give
manifests that differ in those two fields only. Paths are relative, so that the run folder and the bundle moved or
copied together (to another folder, another machine) still rerun: the bundle, its root, the catalogue and an
appraisal file relative to the folder holding the manifest; evidence, attached and merged-part files relative to
the bundle root; outputs relative to the folder holding the manifest. (Manifests written with absolute paths still
load.)
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import uuid
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from par_score._version import __version__
from par_score.catalogue import CatalogueIndex
from par_score.errors import InputError, Problem
from par_score.io import formats
from par_score.io.readers import read_structured
from par_score.io.validation import validated

MANIFEST_FORMAT = "par-score/manifest@1"
MANIFEST_FILE = "manifest.json"

OptionValue = str | int | bool | None | list[str]
Sha256 = Annotated[str, Field(pattern=formats.SHA256.pattern)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileHash(_Model):
    path: str
    sha256: Sha256


class InputFileHash(FileHash):
    kind: Literal["evidence", "attachment", "part"]  # part: a file merged into the bundle by `par-score merge`
    contributor: str | None = None  # who sent it (an agency's part)

    @model_serializer(mode="wrap")
    def _serialize(self, handler):
        data = handler(self)
        if isinstance(data, dict) and data.get("contributor", "") is None:
            del data["contributor"]  # a manifest without contributors keeps the shape it always had
        return data


class CatalogueInfo(_Model):
    id: str
    version: str
    sha256: Sha256
    path: str


class BundleInfo(_Model):
    path: str  # the bundle as scored (file or folder), relative to the manifest's folder
    root: str  # the folder evidence paths are relative to, relative to the manifest's folder
    unit: str
    year: int


class Versions(_Model):
    par_score: str
    durable_rules: str
    python: str


class RunManifest(_Model):
    format: Literal["par-score/manifest@1"] = MANIFEST_FORMAT
    run_id: str = Field(pattern=formats.RUN_ID.pattern)
    created_at: str = Field(pattern=formats.UTC_TIME.pattern)
    catalogue: CatalogueInfo
    bundle: BundleInfo
    evidence: list[InputFileHash]
    versions: Versions
    options: dict[str, OptionValue]
    outputs: list[FileHash]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"

    @property
    def command(self) -> str:
        return str(self.options.get("command") or "")

    def evidence_path(self, entry: FileHash, manifest_dir: Path) -> Path:
        candidate = Path(entry.path)
        return candidate if candidate.is_absolute() else self.bundle_root(manifest_dir) / candidate

    def bundle_path(self, manifest_dir: Path) -> Path:
        return _resolved(self.bundle.path, manifest_dir)

    def bundle_root(self, manifest_dir: Path) -> Path:
        return _resolved(self.bundle.root, manifest_dir)


def _resolved(recorded: str, folder: Path) -> Path:
    candidate = Path(recorded)
    return candidate if candidate.is_absolute() else folder / candidate


def current_versions() -> Versions:
    try:
        durable = version("durable-rules")
    except PackageNotFoundError:
        durable = "không rõ"
    return Versions(par_score=__version__, durable_rules=durable, python=platform.python_version())


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def catalogue_info(index: CatalogueIndex, manifest_dir: Path) -> CatalogueInfo:
    try:
        path = Path(os.path.relpath(Path(index.path).resolve(), manifest_dir.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        path = Path(index.path).resolve().as_posix()
    return CatalogueInfo(id=index.catalogue.id, version=index.catalogue.version, sha256=index.sha256, path=path)


def clean_options(options: dict[str, object]) -> dict[str, OptionValue]:
    """Options as JSON scalars, keys sorted (paths become text)."""
    cleaned: dict[str, OptionValue] = {}
    for key in sorted(options):
        value = options[key]
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, (list, tuple)):
            value = [str(v) for v in value]
        elif value is not None and not isinstance(value, (str, int, bool)):
            value = str(value)
        cleaned[key] = value
    return cleaned


def new_manifest(
    *,
    index: CatalogueIndex,
    bundle: BundleInfo,
    evidence: list[InputFileHash],
    options: dict[str, object],
    outputs: list[FileHash],
    manifest_dir: Path,
) -> RunManifest:
    return RunManifest(
        run_id=str(uuid.uuid4()),
        created_at=utc_now(),
        catalogue=catalogue_info(index, manifest_dir),
        bundle=bundle,
        evidence=evidence,
        versions=current_versions(),
        options=clean_options(options),
        outputs=outputs,
    )


def load_manifest(path: Path) -> RunManifest:
    raw = read_structured(path)
    if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT:
        raise InputError(
            Problem(
                f"không phải tệp manifest của par-score (cần format: {MANIFEST_FORMAT})", file=str(path), field="format"
            )
        )
    return validated(RunManifest, raw, str(path))
