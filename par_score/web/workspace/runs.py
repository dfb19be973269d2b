"""Scoring runs: the campaign exported to a run folder inside the data folder (its bundle, and beside it the council's
appraisal file once there is one), scored from that folder with api.run_source, the appraisal applied with
api.appraise, and written with api.write_run as `par-score report --kind … [--appraisal …]` writes it (ket-qua.json,
the report as PDF, HTML and DOCX, trace.jsonl, manifest.json) — then kept, listed and compared (the CLI's diff)."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from par_score import api
from par_score.audit.diff import ResultDiff, diff_results
from par_score.outputs.report.kinds import APPRAISED, KIND_NAMES, KINDS, LETTER, PREVIEW
from par_score.web.workspace.appraisals import APPRAISAL_FILE, appraisal_data, file_text
from par_score.web.workspace.exporting import export_bundle
from par_score.web.workspace.history import log_change
from par_score.web.workspace.models import Campaign, ScoringRun

BUNDLE_DIR = "bo-tai-lieu"
RESULT_DIR = "ket-qua"
KIND_CHOICES = [(kind, KIND_NAMES[kind]) for kind in KINDS]


def run_folder(run: ScoringRun) -> Path:
    return Path(settings.DATA_DIR) / run.folder


def result_dir(run: ScoringRun) -> Path:
    return run_folder(run) / RESULT_DIR


def kinds_for(campaign: Campaign) -> list[tuple[str, str]]:
    """The documents a run can make now: after thẩm định the appraised report (and the internal preview), before it
    the letter (and the preview)."""
    after = appraisal_data(campaign) is not None
    return [(k, name) for k, name in KIND_CHOICES if k == PREVIEW or (k == APPRAISED) == after]


def default_kind(campaign: Campaign) -> str:
    return APPRAISED if appraisal_data(campaign) is not None else LETTER


def run_scoring(campaign: Campaign, user, kind: str | None = None) -> ScoringRun:
    """Export, score (the appraisal applied, if any) and write one run with the report `kind`; InputError (located
    problems) when the campaign cannot be scored, OutputError when the kind does not fit it."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    relative = (
        Path(settings.RUNS_DIR).relative_to(settings.DATA_DIR) / str(campaign.pk) / f"{stamp}-{secrets.token_hex(3)}"
    )
    folder = Path(settings.DATA_DIR) / relative
    with transaction.atomic():  # one consistent reading of every record and point
        catalogue_file = export_bundle(campaign, folder / BUNDLE_DIR)
        appraisal = appraisal_data(campaign)
        if appraisal is not None:
            (folder / APPRAISAL_FILE).write_text(file_text(campaign, appraisal), encoding="utf-8")
    run = api.run_source(folder / BUNDLE_DIR, catalogue_file or campaign.catalogue_id)
    options: dict[str, object] = {"command": "web", "campaign": campaign.name, "by": user.username}
    if appraisal is not None:
        run = api.appraise(run, folder / APPRAISAL_FILE)
        digest = hashlib.sha256((folder / APPRAISAL_FILE).read_bytes()).hexdigest()
        options.update(appraisal=f"../{APPRAISAL_FILE}", appraisal_sha256=digest)  # read from ket-qua/ by rerun
    checked = api.report_preflight(run, kind)
    options.update(kind=checked.kind, draft=checked.draft)
    plan_day = timezone.localdate() if checked.kind == PREVIEW else None
    if plan_day is not None:
        options["plan_as_of"] = plan_day.isoformat()
    api.write_run(
        run,
        folder / RESULT_DIR,
        formats=tuple(api.REPORT_FORMATS),
        kind=checked.kind,
        options=options,
        plan_as_of=plan_day,
    )
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
            kind=checked.kind,
            draft=checked.draft,
            missing=list(checked.missing),
            appraised=run.result.appraisal is not None,
        )
        log_change(
            locked,
            user,
            "run",
            after={"number": number, "folder": relative.as_posix(), "kind": checked.kind, "draft": checked.draft},
        )
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
