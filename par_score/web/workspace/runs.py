"""Scoring runs: the campaign exported to a run folder inside the data folder, scored from that folder with
api.run_source and written with api.write_run exactly as the CLI does (ket-qua.json, reports, trace.jsonl,
manifest.json) — then kept, listed and compared (the CLI's diff)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from par_score import api
from par_score.audit.diff import ResultDiff, diff_results
from par_score.web.workspace.exporting import export_bundle
from par_score.web.workspace.history import log_change
from par_score.web.workspace.models import Campaign, ScoringRun

BUNDLE_DIR = "bo-tai-lieu"
RESULT_DIR = "ket-qua"


def run_folder(run: ScoringRun) -> Path:
    return Path(settings.DATA_DIR) / run.folder


def result_dir(run: ScoringRun) -> Path:
    return run_folder(run) / RESULT_DIR


def run_scoring(campaign: Campaign, user) -> ScoringRun:
    """Export, score and write one run; InputError (located problems) when the campaign cannot be scored."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    relative = (
        Path(settings.RUNS_DIR).relative_to(settings.DATA_DIR) / str(campaign.pk) / f"{stamp}-{secrets.token_hex(3)}"
    )
    folder = Path(settings.DATA_DIR) / relative
    with transaction.atomic():  # one consistent reading of every record
        catalogue_file = export_bundle(campaign, folder / BUNDLE_DIR)
    run = api.run_source(folder / BUNDLE_DIR, catalogue_file or campaign.catalogue_id)
    options = {"command": "web", "campaign": campaign.name, "by": user.username}
    api.write_run(run, folder / RESULT_DIR, formats=tuple(api.REPORT_FORMATS), options=options)
    totals = run.result.totals
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        number = (locked.runs.aggregate(last=Max("number"))["last"] or 0) + 1
        recorded = ScoringRun.objects.create(
            campaign=locked,
            number=number,
            created_by=user,
            username=user.username,
            folder=relative.as_posix(),
            self_points=totals.self_.points,
            self_max=totals.self_.max,
            index_points=totals.index_points,
            index_max=totals.index_max,
            index_estimated=totals.index_estimated,
        )
        log_change(locked, user, "run", after={"number": number, "folder": relative.as_posix()})
    return recorded


def run_files(run: ScoringRun) -> list[Path]:
    """The files of a run a person may download: what write_run wrote, in its order."""
    return [p for p in api.run_files(result_dir(run), api.REPORT_FORMATS) if p.is_file()]


def compare(a: ScoringRun, b: ScoringRun) -> ResultDiff:
    return diff_results(
        api.load_result(result_dir(a) / api.RESULT_FILE),
        api.load_result(result_dir(b) / api.RESULT_FILE),
        a_file=f"lần chấm {a.number}",
        b_file=f"lần chấm {b.number}",
    )
