"""A campaign as a bundle folder that `par-score score FOLDER` scores to the same result: the header file, one YAML
file per agency that holds records, and the attached files under files/ (an uploaded catalogue under danh-muc/)."""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from par_score.evidence.model import BundlePart
from par_score.outputs.evidence_yaml import bundle_yaml
from par_score.web.workspace.catalogues import catalogue_path
from par_score.web.workspace.files import store_root
from par_score.web.workspace.models import Campaign
from par_score.web.workspace.naming import HEADER_FILE
from par_score.web.workspace.parts import campaign_parts

CATALOGUE_DIR = "danh-muc"


def export_bundle(campaign: Campaign, folder: Path) -> Path:
    """Write the campaign's bundle into `folder` (created; must not exist). Returns the catalogue file written, if
    the campaign uses an uploaded one (score with --catalogue that file)."""
    folder.mkdir(parents=True)
    parts = campaign_parts(campaign)
    attached: set[str] = set()
    for name, data in parts.items():
        part = BundlePart.model_validate(data)
        comment = [f"Chiến dịch: {campaign.name}"]
        if name == HEADER_FILE:
            comment.append("Thông tin chung: đơn vị, năm đánh giá, danh mục tiêu chí, thông tin báo cáo.")
        else:
            comment.append("Phần của một cơ quan, xuất từ không gian làm việc par-score.")
        (folder / name).write_text(bundle_yaml(part, comment), encoding="utf-8")
        attached.update(d.file.path for d in part.documents if d.file is not None)
    for relative in sorted(attached):
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store_root() / relative, target)
    source = catalogue_path(campaign)
    if source is None:
        return None
    target = folder / CATALOGUE_DIR / f"{campaign.catalogue_id}.yaml"
    target.parent.mkdir()
    shutil.copyfile(source, target)
    return target


def export_zip(campaign: Campaign, name: str):
    """The exported bundle as a zip in a temporary file (removed when closed), opened for reading."""
    with tempfile.TemporaryDirectory(prefix="par-score-xuat-") as work:
        root = Path(work) / name
        export_bundle(campaign, root)
        archive = tempfile.NamedTemporaryFile(prefix="par-score-xuat-", suffix=".zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    out.write(path, path.relative_to(work).as_posix())
        archive.flush()
        archive.seek(0, os.SEEK_SET)
        return archive
