"""An agency's part: its preview, its criteria (those it leads or co-leads) with their forms, records, workbook
upload, submission; and the administrator's reopening. Agency editors reach only their own part (404 for any other).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from par_score import api
from par_score.errors import ParScoreError
from par_score.numbers import vn
from par_score.web.workspace import parts as scoring
from par_score.web.workspace.appraisal_state import commented_codes, evidence_lock
from par_score.web.workspace.appraisals import answering_round, appraisal_view
from par_score.web.workspace.catalogues import (
    answers,
    applies,
    campaign_catalogue,
    document_uses,
    indicator_uses,
    leaf_codes,
    summed,
    topics_of,
)
from par_score.web.workspace.files import FileRefused, store, upload_on_disk
from par_score.web.workspace.forms import FORMS
from par_score.web.workspace.forms_campaign import ReopenForm, WorkbookForm, end_of_day
from par_score.web.workspace.history import record_history
from par_score.web.workspace.importing import ImportRefused, import_workbook
from par_score.web.workspace.models import AgencyPart, Record
from par_score.web.workspace.naming import slug
from par_score.web.workspace.presentation import grouped, progress
from par_score.web.workspace.records import (
    Conflict,
    Locked,
    Refused,
    key_of,
    reopen_part,
    save_record,
    submit_part,
)
from par_score.web.workspace.roles import ADMIN, AGENCY, APPRAISER, AUDITOR, campaign_view
from par_score.web.workspace.views.appraisal import reply_form
from par_score.web.workspace.views.common import delete_from_form, page
from par_score.web.workspace.workbooks import agency_template


@campaign_view(ADMIN, AGENCY, AUDITOR)
@require_GET
def part_page(request, access, part_id: int):
    part = access.part(part_id)
    return _part_response(request, access, part, WorkbookForm())


def _part_response(request, access, part, workbook_form, problems=(), status: int = 200):
    campaign = part.campaign
    index = campaign_catalogue(campaign)
    preview = scoring.preview(part)
    records = list(part.records.all())
    lock = evidence_lock(campaign, part, "", None)
    response = page(
        request,
        "part.html",
        access,
        part=part,
        preview=preview,
        progress=progress(preview.result, part.agency),
        areas=grouped(index, preview.result, records, part.agency, campaign.unit_profile),
        appraisal=appraisal_view(campaign, preview.result, agency=part.agency),
        editable=access.may_edit(part) and lock is None,
        lock=lock,
        answering=access.may_edit(part) and answering_round(campaign),
        workbook_form=workbook_form,
        workbook_problems=list(problems),
        reopen_form=ReopenForm(),
    )
    response.status_code = status
    return response


def _entry(part: AgencyPart, code: str):
    index = campaign_catalogue(part.campaign)
    entry = index.by_code.get(code)
    if entry is None or not answers(entry, part.agency) or not applies(index, entry, part.campaign.unit_profile):
        raise Http404("Không có tiêu chí này trong phần của cơ quan.")
    return index, entry


def _documents(part: AgencyPart) -> list[tuple[str, str]]:
    return [
        (r.key, f"{r.data.get('number', '')} — {r.data.get('title', '')}"[:160])
        for r in part.records.filter(section="documents").order_by("id")
    ]


def _taken_ids(campaign_id: int) -> set[str]:
    return set(Record.objects.filter(campaign_id=campaign_id, section="documents").values_list("key", flat=True))


def _use(entry, indicator: str | None):
    """The indicator input of a leaf a metric form is for (a leaf made of parts reads several)."""
    uses = indicator_uses(entry)
    if not uses:
        raise Http404("Tiêu chí này không đọc chỉ số.")
    return next((u for u in uses if u.key[1] == indicator), uses[0])


def _prefix(entry, section: str, use) -> str:
    uses = indicator_uses(entry)
    if section != "metrics" or use is None or use is uses[0]:
        return section
    return f"{section}-{uses.index(use) + 1}"


def make_form(
    section: str,
    part: AgencyPart,
    entry,
    *,
    data=None,
    files=None,
    record: Record | None = None,
    use=None,
    prefix: str | None = None,
    documents: list[tuple[str, str]] | None = None,
):
    """The form of a record of `section`; `documents`: the part's document choices when the caller has them."""
    cls = FORMS[section]
    initial = cls.initial_from(record.data) if record is not None else None
    kwargs = {"data": data, "files": files, "initial": initial, "prefix": prefix or section}
    index = campaign_catalogue(part.campaign)
    if section == "documents":
        topics = topics_of(index, part.agency, part.campaign.unit_profile)
        uses = document_uses(entry) if entry is not None else []
        if record is None and uses:
            kwargs["initial"] = {"topics": [uses[0].key[1]]}
        existing = record.data if record else None
        return cls(
            topics=topics, taken_ids=_taken_ids(part.campaign_id), agency=part.agency, existing=existing, **kwargs
        )
    if section == "survey":
        answers_ = list(index.catalogue.survey_answer_weights)
        return cls(entry=entry, answers=answers_, **kwargs)
    if section == "metrics":
        use = use or _use(entry, record.data.get("indicator") if record else None)
        contributor = part.agency if summed(index, use.key[1]) else None
        return cls(
            use=use, documents=_documents(part) if documents is None else documents, contributor=contributor, **kwargs
        )
    if section == "not_achieved":
        return cls(uses=document_uses(entry), documents=_documents(part) if documents is None else documents, **kwargs)
    return cls(entry=entry, documents=_documents(part) if documents is None else documents, **kwargs)


def sections_for(entry) -> list[str]:
    """The kinds of record a leaf's page offers an agency, in order (a statistic is entered by the administrator)."""
    kinds = {use.key[0] for use in entry.uses}
    sections = []
    if "indicator" in kinds:
        sections.append("metrics")
    if "document" in kinds or "indicator" in kinds:
        sections.append("documents")
    if "document" in kinds and entry.leaf.source == "self":
        sections.append("not_achieved")
    if "survey" in kinds:
        sections.append("survey")
    if entry.leaf.not_applicable != "none":
        sections.append("not_applicable")
    if entry.leaf.source == "self":
        sections.append("explanations")
    return sections


MULTIPLE = ("documents", "not_achieved")  # sections whose records a leaf may have several of: always a new one


def _existing(part: AgencyPart, entry, section: str, use=None) -> Record | None:
    """The one record a leaf has for a keyed section (its metric — the agency's contribution to a summed indicator
    —, survey value, declaration, explanation)."""
    index = campaign_catalogue(part.campaign)
    if section == "metrics":
        data = {"indicator": use.key[1], "contributor": part.agency}
        key = key_of(index, "metrics", data)
    elif section == "survey":
        key = entry.input_key[1]
    else:
        key = entry.code
    return part.records.filter(section=section, key=key).first()


def held_elsewhere(part: AgencyPart, entry) -> list[str]:
    """Where a shared criterion's one-figure records are held when another agency entered them (who, not what)."""
    index = campaign_catalogue(part.campaign)
    keys = [u.key[1] for u in indicator_uses(entry) if not summed(index, u.key[1])] + [entry.code]
    found = Record.objects.filter(campaign_id=part.campaign_id, key__in=keys).exclude(part=part).exclude(part=None)
    return sorted({r.part.agency for r in found.select_related("part")})


@campaign_view(ADMIN, AGENCY, AUDITOR)
@require_GET
def criterion_page(request, access, part_id: int, code: str):
    part = access.part(part_id)
    return _criterion_response(request, access, part, code)


def _criterion_response(request, access, part, code, *, bound: dict | None = None, status: int = 200):
    index, entry = _entry(part, code)
    campaign = part.campaign
    preview = scoring.preview(part)
    leaf = preview.result.leaf(code) if preview.result else None
    records = list(part.records.all())
    view = next(
        lv
        for area in grouped(index, preview.result, records, part.agency, campaign.unit_profile)
        for c in area.criteria
        for lv in c.leaves
        if lv.code == code
    )
    lock = None
    forms = []
    documents = None  # the part's document choices, read once for every form that offers them
    if access.may_edit(part):
        for section in sections_for(entry):
            uses = indicator_uses(entry) if section == "metrics" else [None]
            for use in uses:
                existing = None if section in MULTIPLE else _existing(part, entry, section, use)
                data = existing.data if existing else _probe(entry, section, use)
                reason = evidence_lock(campaign, part, section, data)
                if reason:
                    lock = lock or reason
                    continue
                prefix = _prefix(entry, section, use)
                form = (bound or {}).get(prefix)
                if form is None:
                    if documents is None and section != "documents" and section != "survey":
                        documents = _documents(part)
                    form = make_form(section, part, entry, record=existing, use=use, prefix=prefix, documents=documents)
                forms.append({"section": section, "form": form, "record": existing, "use": use, "prefix": prefix})
    reply = None
    if access.may_edit(part) and answering_round(campaign) and code in commented_codes(campaign):
        reply = reply_form(part, code)
    response = page(
        request,
        "criterion.html",
        access,
        part=part,
        entry=entry,
        leaf=leaf,
        view=view,
        preview=preview,
        forms=forms,
        editable=bool(forms),
        lock=lock if not forms else None,
        shared=[a for a in entry.agencies if a != part.agency],
        held_elsewhere=held_elsewhere(part, entry),
        statistic=any(u.key[0] == "statistic" for u in entry.uses),
        appraisal=appraisal_view(campaign, preview.result, agency=part.agency, code=code),
        reply_form=reply,
    )
    response.status_code = status
    return response


def _probe(entry, section: str, use) -> dict:
    """A record of `section` for this leaf, as far as the lock needs to know which leaves it answers for."""
    if section == "metrics":
        return {"indicator": use.key[1]}
    if section in ("documents", "not_achieved"):
        topics = [u.key[1] for u in document_uses(entry)]
        return {"topics": topics, "topic": topics[0] if topics else ""}
    if section == "survey":
        return {"item": entry.input_key[1]}
    return {"criterion": entry.code}


def _saved_message(part: AgencyPart, code: str, result=None) -> str:
    """What a save changed, from the preview the save itself computed (or a fresh one)."""
    result = result or scoring.preview(part).result
    if result is None:
        return "Đã lưu."
    leaf = result.leaf(code)
    totals = result.totals.self_
    return (
        f"Đã lưu. Tiêu chí {code}: {vn(leaf.points) if leaf.points is not None else '—'}/{vn(leaf.max)} điểm "
        f"({leaf.status_label}); tổng của cơ quan: {vn(totals.points)}/{vn(totals.max)} điểm."
    )


@campaign_view(AGENCY)
@require_POST
def record_new(request, access, part_id: int, code: str, section: str):
    part = access.part(part_id)
    _, entry = _entry(part, code)
    if not access.may_edit(part) or section not in sections_for(entry):
        raise Http404("Không có loại bản ghi này cho tiêu chí.")
    use = _use(entry, request.POST.get("chi_so")) if section == "metrics" else None
    prefix = _prefix(entry, section, use)
    existing = None if section in MULTIPLE else _existing(part, entry, section, use)
    form = make_form(
        section, part, entry, data=request.POST, files=request.FILES, record=existing, use=use, prefix=prefix
    )
    outcome = _save(request, part, form, section, existing, existing.version if existing else None)
    if outcome is not None:
        return outcome
    return _criterion_response(request, access, part, code, bound={prefix: form}, status=400)


def _save(request, part, form, section, record, version=None):
    """Validate, store the upload, save; the redirect on success, None (form holds the errors) otherwise."""
    if not form.is_valid():
        return None
    data = dict(form.record)
    upload = form.cleaned_data.get("file") if section == "documents" else None
    if upload:
        try:
            with upload_on_disk(upload) as on_disk:
                stored = store(on_disk, request.user)
        except FileRefused as exc:
            form.add_error("file", str(exc))
            return None
        data["file"] = {"path": stored.relative_path, "sha256": stored.sha256}
    try:
        saved = save_record(request.user, part, section, data, record=record, version=version if record else None)
    except Locked as exc:
        messages.error(request, f"Không lưu được: {exc.reason}.")
        return redirect("part", campaign_id=part.campaign_id, part_id=part.pk)
    except Refused as exc:
        form.add_problems(exc.own)
        for problem in exc.others:
            form.add_error(None, problem.render())
        return None
    except Conflict as exc:
        form.conflict = exc.current
        return None
    code = request.POST.get("tieu_chi") or _first_code(part, saved.record)
    messages.success(request, _saved_message(part, code, saved.preview) if code else "Đã lưu.")
    if code:
        return redirect("criterion", campaign_id=part.campaign_id, part_id=part.pk, code=code)
    return redirect("part", campaign_id=part.campaign_id, part_id=part.pk)


def _first_code(part, record) -> str | None:
    index = campaign_catalogue(part.campaign)
    codes = [
        c
        for c in leaf_codes(index, record.section, record.data)
        if answers(index.by_code[c], part.agency) and applies(index, index.by_code[c], part.campaign.unit_profile)
    ]
    return codes[0] if codes else None


@campaign_view(ADMIN, AGENCY, AUDITOR, APPRAISER)
@require_http_methods(["GET", "POST"])
def record_page(request, access, record_id: int):
    record = access.record(record_id)
    part = record.part
    if part is None:  # the administrator's own records have their page
        return redirect("common", campaign_id=access.campaign.pk)
    index = campaign_catalogue(part.campaign)
    code = _first_code(part, record)
    entry = index.by_code[code] if code else None
    editable = (
        access.may_edit(part)
        and entry is not None
        and evidence_lock(part.campaign, part, record.section, record.data) is None
    )
    if request.method == "POST":
        if access.role != AGENCY or not access.may_edit(part):
            raise Http404("Không tìm thấy bản ghi.")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        form = make_form(record.section, part, entry, data=request.POST, files=request.FILES, record=record)
        outcome = _save(request, part, form, record.section, record, version)
        if outcome is not None:
            return outcome
        if hasattr(form, "conflict"):
            return _conflict_page(request, access, part, entry, record, form)
        return _record_page(request, access, record, part, entry, form, version=version, status=400)
    form = make_form(record.section, part, entry, record=record) if editable else None
    return _record_page(request, access, record, part, entry, form, version=record.version)


def _record_page(request, access, record, part, entry, form, *, version: int, status: int = 200):
    """One record with its history; `form` None for a reader, a bound form with its errors after a refused save."""
    return page(
        request,
        "record.html",
        access,
        status=status,
        record=record,
        part=part,
        entry=entry,
        form=form,
        editable=form is not None,
        history=record_history(record),
        version=version,
    )


def _conflict_page(request, access, part, entry, record, form):
    current = form.conflict
    if current is None:
        messages.error(
            request, "Bản ghi này đã bị người khác xóa trong khi bạn đang sửa; thay đổi của bạn chưa được lưu."
        )
        return redirect("part", campaign_id=part.campaign_id, part_id=part.pk)
    fresh = make_form(current.section, part, entry, record=current)
    response = page(
        request,
        "record.html",
        access,
        record=current,
        part=part,
        entry=entry,
        form=fresh,
        editable=True,
        history=record_history(current),
        version=current.version,
        conflict=True,
        attempted=form.record if hasattr(form, "record") else None,
    )
    response.status_code = 409
    return response


@campaign_view(AGENCY)
@require_POST
def record_delete(request, access, record_id: int):
    record = access.record(record_id)
    part = record.part
    if part is None or not access.may_edit(part):
        raise Http404("Không tìm thấy bản ghi.")
    back = request.POST.get("tieu_chi") or _first_code(part, record)
    delete_from_form(request, record)
    if back and back in campaign_catalogue(part.campaign).by_code:
        return redirect("criterion", campaign_id=part.campaign_id, part_id=part.pk, code=back)
    return redirect("part", campaign_id=part.campaign_id, part_id=part.pk)


@campaign_view(AGENCY)
@require_POST
def workbook_upload(request, access, part_id: int):
    part = access.part(part_id)
    if not access.may_edit(part):
        raise Http404("Không tìm thấy phần của cơ quan.")
    form = WorkbookForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        try:
            with upload_on_disk(form.cleaned_data["workbook"]) as upload:
                changed = import_workbook(request.user, part, upload)
        except ImportRefused as exc:
            problems = exc.problems
        except Locked as exc:
            messages.error(request, f"Không nhập được: {exc.reason}.")
            return redirect("part", campaign_id=part.campaign_id, part_id=part.pk)
        except Refused as exc:
            problems = [*exc.own, *exc.others]
        else:
            preview = scoring.preview(part)
            totals = preview.result.totals.self_ if preview.result else None
            points = f"; tổng của cơ quan: {vn(totals.points)}/{vn(totals.max)} điểm" if totals else ""
            messages.success(request, f"Đã nhập bảng tính: {changed} bản ghi thay đổi{points}.")
            return redirect("part", campaign_id=part.campaign_id, part_id=part.pk)
    return _part_response(request, access, part, form, problems, status=400)


@campaign_view(ADMIN, AGENCY, AUDITOR)
@require_GET
def template_download(request, access, part_id: int):
    part = access.part(part_id)
    try:
        data = agency_template(part)
    except ParScoreError as exc:  # a unit the catalogue's template cannot carry (e.g. an imported odd code)
        messages.error(request, "Không tạo được bảng tính mẫu: " + "; ".join(p.render() for p in exc.problems))
        return redirect("part", campaign_id=part.campaign_id, part_id=part.pk)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="mau-{slug(part.agency)}.xlsx"'
    return response


@campaign_view(AGENCY)
@require_POST
def submit(request, access, part_id: int):
    part = access.part(part_id)
    if not access.may_edit(part):
        raise Http404("Không tìm thấy phần của cơ quan.")
    try:
        submit_part(request.user, part)
    except Locked as exc:
        messages.error(request, f"Không nộp được: {exc.reason}.")
    else:
        messages.success(request, "Đã nộp phần tài liệu của cơ quan. Phần này bị khóa cho tới khi Sở Nội vụ mở lại.")
    return redirect("part", campaign_id=part.campaign_id, part_id=part.pk)


@campaign_view(ADMIN)
@require_POST
def reopen(request, access, part_id: int):
    part = access.part(part_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày gia hạn không hợp lệ: " + " ".join(form.errors.get("extended_until", [])))
        return redirect("part", campaign_id=part.campaign_id, part_id=part.pk)
    day = form.cleaned_data.get("extended_until")
    part = reopen_part(request.user, part, end_of_day(day) if day else None)
    lock = part.lock_reason()
    text = f"Đã mở lại phần của {part.agency}."
    if lock:
        messages.warning(request, f"{text} Lưu ý: {lock} — hãy nhập ngày gia hạn.")
    else:
        messages.success(request, text)
    return redirect(reverse("dashboard", kwargs={"campaign_id": part.campaign_id}))


@campaign_view(ADMIN, AGENCY, AUDITOR)
@require_GET
def plan_page(request, access, part_id: int):
    """The planner's improvement plan for the agency's criteria, from its preview, as of today (or `?ngay=`)."""
    part = access.part(part_id)
    as_of = timezone.localdate()
    asked = request.GET.get("ngay", "").strip()
    if asked:
        try:
            as_of = dt.datetime.strptime(asked, "%d/%m/%Y").date()
        except ValueError:
            messages.error(request, f"Ngày '{asked[:20]}' không hợp lệ; viết theo ngày/tháng/năm, ví dụ 01/10/2024.")
    preview = scoring.preview(part)
    plan = api.plan(preview.run, agency=part.agency, as_of=as_of) if preview.run is not None else None
    return page(request, "plan.html", access, part=part, preview=preview, plan=plan, as_of=as_of)
