"""A province's own indexes in one go: its sở, ban, ngành and its xã, phường, đặc khu scored, ranked and published.

A province folder holds one batch folder per index (e.g. `so/` and `xa/`, each scored against the catalogue its
bundles name) and, optionally, `cong-bo.yaml` (the province and the decision that publishes the indexes: number,
date, signer…). Each batch is scored as `par-score score` scores it (par_score.batch.run), into OUT/<folder>/; then
the rankings of every index are written together: OUT/xep-hang.json, OUT/xep-hang.xlsx and the Quyết định công bố
with its annexes (OUT/quyet-dinh-cong-bo.pdf and .html).

All or nothing: the whole set is written into a hidden staging folder beside OUT and switched in at once (as every
run's outputs are: par_score.io.atomic.OutputSet); if any bundle of any batch is invalid, every problem is reported
and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from par_score.batch.run import RANKING_FILE, RANKING_WORKBOOK, batch_entries, run_batch
from par_score.errors import InputError, ParScoreError, Problem
from par_score.evidence.model import PublicationHeader
from par_score.io.atomic import OutputSet, lock_file, refuse_unsafe_folder
from par_score.io.readers import read_structured
from par_score.io.validation import validated
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
    return validated(PublicationHeader, raw, str(path))


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
    refuse_unsafe_folder(out_dir, [folder, *batches])
    with OutputSet(out_dir, force=force, previous=lambda entry: is_published(entry, batches)) as output:
        output.refuse_existing(
            [out_dir / RANKING_FILE, out_dir / RANKING_WORKBOOK, out_dir / HTML_FILE, out_dir / PDF_FILE]
        )
        output.refuse_existing([out_dir / b.name for b in batches if (out_dir / b.name).exists()])
        publications, units = _score_each(batches, output, progress)
        years = {pub.year for pub, _ in publications} | ({header.year} if header.year else set())
        if len(years) > 1:
            raise InputError(
                Problem(f"các chỉ số thuộc các năm khác nhau ({', '.join(map(str, sorted(years)))})", file=str(folder))
            )
        outcome = PublishOutcome(out_dir, publications, units=units)
        pubs = [pub for pub, _ in publications]
        year = years.pop()
        html = render_decision_html(pubs, header)
        files = {
            out_dir / RANKING_FILE: cluster_ranking_json(publications, result_file=RESULT_FILE).encode("utf-8"),
            out_dir / RANKING_WORKBOOK: ranking_workbook_bytes(pubs, province=header.province, year=year),
            out_dir / HTML_FILE: html.encode("utf-8"),
        }
        if pdf:
            rendered = render_pdf(html)
            files[out_dir / PDF_FILE] = rendered.data
            outcome.warnings = rendered.warnings
        output.write(files)
        output.commit()
    outcome.written = sorted(p for p in out_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
    return outcome


def is_published(entry: Path, batches: list[Path]) -> bool:
    """An entry of the output folder written by an earlier publication: a batch's folder or a published file."""
    return entry.name in {RANKING_FILE, RANKING_WORKBOOK, HTML_FILE, PDF_FILE, *(b.name for b in batches)}


def _score_each(batches: list[Path], output: OutputSet, progress) -> tuple[list[tuple[Publication, str]], int]:
    """Score every batch into the output set's staging folder; every problem of every batch, or the publications."""
    publications: list[tuple[Publication, str]] = []
    problems: list[Problem] = []
    units = 0
    for batch in batches:
        entries = batch_entries(batch) or []
        try:
            outcome = run_batch(
                entries,
                catalogue_ref=None,
                out_dir=output.staged(output.out_dir / batch.name),
                force=True,
                agency=None,
                progress=progress,
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
        # The batch locked its folder inside our staging folder, which no other run can reach: its lock file goes.
        lock_file(output.staged(output.out_dir / batch.name)).unlink(missing_ok=True)
    if problems:
        raise InputError(problems)
    return publications, units


__all__ = ["HEADER_FILE", "PublishOutcome", "count_units", "province_batches", "publish"]
