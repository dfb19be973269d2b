"""Scoring runs (run, list, files, compare) and the campaign's export and import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods

from par_score import api
from par_score.errors import ParScoreError, Problem
from par_score.outputs.report.kinds import KIND_NAMES
from par_score.web.workspace import runs as scoring_runs
from par_score.web.workspace.appraisals import appraised
from par_score.web.workspace.exporting import export_zip
from par_score.web.workspace.files import upload_on_disk
from par_score.web.workspace.forms_campaign import AgencyWorkbookImportForm, ImportForm
from par_score.web.workspace.importing import ImportRefused, import_bundle, import_workbook
from par_score.web.workspace.models import ScoringRun
from par_score.web.workspace.naming import slug
from par_score.web.workspace.records import Locked, Refused
from par_score.web.workspace.roles import ADMIN, AUDITOR, campaign_view
from par_score.web.workspace.views.common import page

CONTENT_TYPES = {
    ".json": "application/json",
    ".jsonl": "application/x-ndjson",
    ".pdf": "application/pdf",
    ".html": "text/html; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@campaign_view(ADMIN, AUDITOR)
@require_http_methods(["GET", "POST"])
def run_list(request, access):
    campaign = access.campaign
    problems = []
    kinds = scoring_runs.kinds_for(campaign)
    chosen = request.POST.get("kind") or scoring_runs.default_kind(campaign)
    if request.method == "POST":  # administrators only: auditors never reach a POST
        if chosen not in dict(kinds):
            problems = [Problem("chọn loại văn bản trong danh sách", field="kind")]
        else:
            try:
                run = scoring_runs.run_scoring(campaign, request.user, chosen)
            except ParScoreError as exc:
                problems = exc.problems
            else:
                draft = " Văn bản được lập dưới dạng DỰ THẢO vì còn thiếu nội dung (xem bên dưới)." if run.draft else ""
                messages.success(request, f"Đã chấm điểm: lần chấm số {run.number}.{draft}")
                return redirect("run", campaign_id=campaign.pk, number=run.number)
    runs = campaign.runs.all()
    return page(
        request,
        "runs.html",
        access,
        runs=runs,
        problems=problems,
        kinds=kinds,
        chosen=chosen,
        preflights=_preflights(campaign, kinds),
        status=400 if problems else 200,
    )


def _preflights(campaign, kinds) -> list[tuple[str, str, object]]:
    """What each document still lacks before it can be signed (the report's pre-flight, as `par-score report`
    prints it), from the campaign as it stands."""
    outcome = appraised(campaign)
    if outcome.run is None:
        return []
    found = []
    for kind, name in kinds:
        try:
            found.append((kind, name, api.report_preflight(outcome.run, kind)))
        except ParScoreError:
            continue
    return found


def _run(access, number: int) -> ScoringRun:
    return get_object_or_404(ScoringRun, campaign=access.campaign, number=number)


@campaign_view(ADMIN, AUDITOR)
@require_GET
def run_page(request, access, number: int):
    run = _run(access, number)
    result = api.load_result(scoring_runs.result_dir(run) / api.RESULT_FILE)
    files = [p.name for p in scoring_runs.run_files(run)]
    return page(
        request,
        "run.html",
        access,
        run=run,
        result=result,
        files=files,
        kind_name=KIND_NAMES.get(run.kind, run.kind),
        others=access.campaign.runs.exclude(pk=run.pk),
    )


@campaign_view(ADMIN, AUDITOR)
@require_GET
def run_file(request, access, number: int, name: str):
    run = _run(access, number)
    files = {p.name: p for p in scoring_runs.run_files(run)}
    if name not in files:
        raise Http404("Không có tệp này trong lần chấm.")
    path = files[name]
    content_type = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
    return FileResponse(
        path.open("rb"), content_type=content_type, as_attachment=True, filename=f"lan-cham-{run.number}-{name}"
    )


@campaign_view(ADMIN, AUDITOR)
@require_GET
def run_compare(request, access):
    try:
        a = _run(access, int(request.GET.get("a", "")))
        b = _run(access, int(request.GET.get("b", "")))
    except ValueError:
        raise Http404("Chọn hai lần chấm để so sánh.") from None
    return page(request, "compare.html", access, a=a, b=b, diff=scoring_runs.compare(a, b))


@campaign_view(ADMIN, AUDITOR)
@require_GET
def export(request, access):
    campaign = access.campaign
    name = f"{slug(campaign.unit_code)}-{campaign.year}-{dt.date.today():%Y%m%d}"
    archive = export_zip(campaign, name)
    return FileResponse(archive, content_type="application/zip", as_attachment=True, filename=f"{name}.zip")


@campaign_view(ADMIN)
@require_http_methods(["GET", "POST"])
def import_page(request, access):
    campaign = access.campaign
    agencies = [p.agency for p in campaign.parts.all()]
    bundle_form = ImportForm(prefix="bo")
    workbook_form = AgencyWorkbookImportForm(prefix="bang", agencies=agencies)
    problems = []
    if request.method == "POST" and request.POST.get("kind") == "bundle":
        bundle_form = ImportForm(request.POST, request.FILES, prefix="bo")
        if bundle_form.is_valid():
            try:
                with upload_on_disk(bundle_form.cleaned_data["bundle"]) as upload:
                    summary = import_bundle(request.user, campaign, upload)
            except ImportRefused as exc:
                problems = exc.problems
            else:
                counts = ", ".join(f"{agency}: {n}" for agency, n in summary.changed.items()) or "không có"
                messages.success(request, f"Đã nhập bộ tài liệu. Bản ghi thay đổi — {counts}.")
                return redirect("dashboard", campaign_id=campaign.pk)
    elif request.method == "POST" and request.POST.get("kind") == "workbook":
        workbook_form = AgencyWorkbookImportForm(request.POST, request.FILES, prefix="bang", agencies=agencies)
        if workbook_form.is_valid():
            part = campaign.parts.get(agency=workbook_form.cleaned_data["agency"])
            try:
                with upload_on_disk(workbook_form.cleaned_data["workbook"]) as upload:
                    changed = import_workbook(request.user, part, upload, ignore_deadline=True)
            except ImportRefused as exc:
                problems = exc.problems
            except Locked as exc:
                problems = []
                messages.error(request, f"Không nhập được: {exc.reason}.")
            except Refused as exc:
                problems = [*exc.own, *exc.others]
            else:
                messages.success(request, f"Đã nhập bảng tính của {part.agency}: {changed} bản ghi thay đổi.")
                return redirect("dashboard", campaign_id=campaign.pk)
    elif request.method == "POST":
        raise Http404("Không rõ loại tệp cần nhập.")
    response = page(
        request, "import.html", access, bundle_form=bundle_form, workbook_form=workbook_form, problems=problems
    )
    if request.method == "POST":
        response.status_code = 400
    return response
