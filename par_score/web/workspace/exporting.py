"""A campaign as a bundle folder that `par-score score FOLDER` scores to the same result: the header file, one YAML
file per agency that holds records (and one for the administrator's own records), and the attached files under files/
(an uploaded catalogue under danh-muc/). The exported zip adds, in a folder the bundle reader does not read, the
council's appraisal file (`par-score report FOLDER --appraisal …`) and the campaign's change log with its hash chain
(`par-score web verify --log …`)."""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.db import transaction

from par_score.evidence.model import BundlePart
from par_score.outputs.evidence_yaml import bundle_yaml
from par_score.web.workspace.catalogues import catalogue_path
from par_score.web.workspace.files import store_root
from par_score.web.workspace.models import Campaign
from par_score.web.workspace.naming import COMMON_FILE, HEADER_FILE
from par_score.web.workspace.parts import campaign_parts

CATALOGUE_DIR = "danh-muc"
RECORDS_DIR = "tham-dinh-va-nhat-ky"  # not read as evidence: the bundle reader reads the folder's own files only
LOG_FILE = "nhat-ky.jsonl"


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
        elif name == COMMON_FILE:
            comment.append("Số liệu chung do Sở Nội vụ nhập: số liệu thống kê, điểm thưởng, điểm trừ.")
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


def export_records(campaign: Campaign, folder: Path) -> list[Path]:
    """The appraisal file (once the council has given points) and the change log, written into `folder`."""
    from par_score.web.workspace.appraisals import APPRAISAL_FILE, appraisal_data, file_text
    from par_score.web.workspace.chain import export_line
    from par_score.web.workspace.history import entry_data

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    appraisal = appraisal_data(campaign)
    if appraisal is not None:
        (folder / APPRAISAL_FILE).write_text(file_text(campaign, appraisal), encoding="utf-8")
        written.append(folder / APPRAISAL_FILE)
    with (folder / LOG_FILE).open("w", encoding="utf-8") as out:
        for change in campaign.changes.order_by("seq").iterator():
            out.write(export_line(entry_data(change)) + "\n")
    written.append(folder / LOG_FILE)
    return written


def export_zip(campaign: Campaign, name: str):
    """The exported bundle (with its appraisal file and change log) as a zip in a temporary file (removed when
    closed), opened for reading."""
    with tempfile.TemporaryDirectory(prefix="par-score-xuat-") as work:
        root = Path(work) / name
        with transaction.atomic():  # the bundle, the points and the log as of one moment
            export_bundle(campaign, root)
            export_records(campaign, root / RECORDS_DIR)
        archive = tempfile.NamedTemporaryFile(prefix="par-score-xuat-", suffix=".zip")
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    out.write(path, path.relative_to(work).as_posix())
        archive.flush()
        archive.seek(0, os.SEEK_SET)
        return archive
