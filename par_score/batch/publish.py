"""A province's own indexes in one go: its sở, ban, ngành and its xã, phường, đặc khu scored, ranked and published.

A province folder holds one batch folder per index (e.g. `so/` and `xa/`, each scored against the catalogue its
bundles name) and, optionally, `cong-bo.yaml` (the province and the decision that publishes the indexes: number,
date, signer…). Each batch is scored as `par-score score` scores it (par_score.batch.run), into OUT/<folder>/; then
the rankings of every index are written together: OUT/xep-hang.json, OUT/xep-hang.xlsx and the Quyết định công bố
with its annexes (OUT/quyet-dinh-cong-bo.pdf and .html).

All or nothing: every batch is scored into a hidden staging folder first; if any bundle of any batch is invalid,
every problem is reported and nothing is written. Only then are the folders and files moved into place.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from par_score.batch.run import RANKING_FILE, RANKING_WORKBOOK, STAGING_PREFIX, batch_entries, run_batch, sweep_staging
from par_score.errors import InputError, OutputError, ParScoreError, Problem
from par_score.evidence.model import PublicationHeader
from par_score.io.atomic import prepare_dir, refuse_existing, write_bytes, write_text
from par_score.io.readers import read_structured
from par_score.io.validation import problems_from
from par_score.outputs.excel.ranking_table import ranking_workbook_bytes
from par_score.outputs.publication import HTML_FILE, PDF_FILE, render_decision_html
from par_score.outputs.ranking import Publication, cluster_ranking_json
from par_score.outputs.report.render import render_pdf
from par_score.scoring.result import RESULT_FILE

HEADER_FILE = "cong-bo.yaml"


@dataclass
class PublishOutcome:
    out_dir: Path
    publications: list[tuple[Publication, str]]  # each index with the folder its results are in
    written: list[Path] = field(default_factory=list)
    warnings: tuple[str, ...] = ()
    units: int = 0


def province_batches(folder: Path) -> list[Path] | None:
    """The batch folders of a province folder, in name order; None when `folder` is not one."""
    if not folder.is_dir():
        return None
    try:
        subfolders = sorted(d for d in folder.iterdir() if d.is_dir() and not d.name.startswith("."))
    except OSError:
        return None
    batches = [d for d in subfolders if batch_entries(d) is not None]
    return batches or None


def count_units(folder: Path) -> int:
    """How many bundles a province folder holds (for a progress bar)."""
    return sum(len(batch_entries(batch) or []) for batch in province_batches(folder) or [])


def read_header(folder: Path) -> PublicationHeader:
    path = folder / HEADER_FILE
    if not path.is_file():
        return PublicationHeader(province="Tỉnh …")
    raw = read_structured(path)
    if not isinstance(raw, dict):
        raise InputError(Problem("tệp công bố phải là một bản ghi (khóa: giá trị)", file=str(path)))
    try:
        return PublicationHeader.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, raw, str(path))) from None


def publish(
    folder: Path,
    *,
    out_dir: Path,
    force: bool,
    progress: Callable[[int], None] = lambda n: None,
    pdf: bool = True,
) -> PublishOutcome:
    batches = province_batches(folder)
    if batches is None:
        raise InputError(
            Problem(
                "không phải thư mục của tỉnh: cần các thư mục con, mỗi thư mục là một loạt bộ bằng chứng "
                "(vd. so/, xa/)",
                file=str(folder),
            )
        )
    header = read_header(folder)
    outputs = [out_dir / RANKING_FILE, out_dir / RANKING_WORKBOOK, out_dir / HTML_FILE, out_dir / PDF_FILE]
    refuse_existing(outputs, force)
    if not force:
        refuse_existing([out_dir / b.name for b in batches if (out_dir / b.name).exists()], force)
    created = not out_dir.exists()
    prepare_dir(out_dir)
    sweep_staging(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        publications, units = _score_each(batches, staging, progress)
        years = {pub.year for pub, _ in publications} | ({header.year} if header.year else set())
        if len(years) > 1:
            raise InputError(
                Problem(f"các chỉ số thuộc các năm khác nhau ({', '.join(map(str, sorted(years)))})", file=str(folder))
            )
        outcome = PublishOutcome(out_dir, publications, units=units)
        pubs = [pub for pub, _ in publications]
        year = years.pop()
        write_text(staging / RANKING_FILE, cluster_ranking_json(publications, result_file=RESULT_FILE))
        write_bytes(staging / RANKING_WORKBOOK, ranking_workbook_bytes(pubs, province=header.province, year=year))
        html = render_decision_html(pubs, header)
        write_text(staging / HTML_FILE, html)
        if pdf:
            rendered = render_pdf(html)
            write_bytes(staging / PDF_FILE, rendered.data)
            outcome.warnings = rendered.warnings
        outcome.written = _commit(staging, out_dir)
        return outcome
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(out_dir, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _score_each(batches: list[Path], staging: Path, progress) -> tuple[list[tuple[Publication, str]], int]:
    """Score every batch into the staging folder; every problem of every batch, or the publications."""
    publications: list[tuple[Publication, str]] = []
    problems: list[Problem] = []
    units = 0
    for batch in batches:
        entries = batch_entries(batch) or []
        try:
            outcome = run_batch(
                entries, catalogue_ref=None, out_dir=staging / batch.name, force=True, agency=None, progress=progress
            )
        except ParScoreError as exc:
            problems.extend(exc.problems)
            continue
        if outcome.publication is None:
            problems.append(
                Problem(
                    f"danh mục '{outcome.index.id}' không khai báo xếp loại hay khối xếp hạng; "
                    "không lập được bảng công bố",
                    file=str(batch),
                )
            )
            continue
        units += len(outcome.ranking)
        publications.append((outcome.publication, batch.name))
    if problems:
        raise InputError(problems)
    return publications, units


def _commit(staging: Path, out_dir: Path) -> list[Path]:
    """Move every staged folder and file into place (a folder already there is replaced: --force was given)."""
    written = []
    for staged in sorted(staging.iterdir()):
        target = out_dir / staged.name
        if staged.is_dir():
            if target.exists():
                if not target.is_dir() or target.is_symlink():
                    raise OutputError(Problem("đã có một tệp trùng tên thư mục kết quả", file=str(target)))
                shutil.rmtree(target)
            staged.rename(target)
            written.extend(sorted(p for p in target.rglob("*") if p.is_file()))
        else:
            staged.replace(target)
            written.append(target)
    return written


__all__ = ["HEADER_FILE", "PublishOutcome", "count_units", "province_batches", "publish"]
