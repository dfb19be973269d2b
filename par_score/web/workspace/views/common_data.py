"""What the Sở Nội vụ administrator enters for the whole campaign, not an agency: the statistics that outside bodies
supply (source: statistics) and the inputs of bonus and deduction items that no agency reports. The same forms and
checks as an agency's records; the records go into the bundle's so-lieu-chung.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from par_score.web.workspace import parts as scoring
from par_score.web.workspace.appraisal_state import evidence_lock
from par_score.web.workspace.catalogues import COMMON, applies, campaign_catalogue, owners
from par_score.web.workspace.files import FileRefused, store, upload_on_disk
from par_score.web.workspace.forms import DocumentForm, MetricForm, StatisticForm
from par_score.web.workspace.history import record_history
from par_score.web.workspace.models import Campaign, Record
from par_score.web.workspace.records import Conflict, Locked, Refused, key_of, save_record
from par_score.web.workspace.roles import ADMIN, AUDITOR, campaign_view
from par_score.web.workspace.views.common import delete_from_form, page

FORM_CLASSES = {"statistics": StatisticForm, "metrics": MetricForm, "documents": DocumentForm}


@dataclass
class Input:
    """One figure the administrator enters: a statistic of a criterion, or the indicator of a bonus or deduction
    item, with its stored record and its form."""

    section: str
    use: object
    owner_code: str
    owner_name: str
    supplied_by: str
    record: Record | None = None
    form: object = None
    prefix: str = ""

    @property
    def key(self) -> str:
        return self.use.key[1]


@dataclass
class CommonPage:
    statistics: list[Input] = field(default_factory=list)
    items: list[Input] = field(default_factory=list)
    document_topics: dict = field(default_factory=dict)


def _documents(campaign: Campaign) -> list[tuple[str, str]]:
    records = scoring.common_records(campaign).filter(section="documents").order_by("id")
    return [(r.key, f"{r.data.get('number', '')} — {r.data.get('title', '')}"[:160]) for r in records]


def _inputs(campaign: Campaign) -> CommonPage:
    index = campaign_catalogue(campaign)
    profile = campaign.unit_profile
    stored = {(r.section, r.key): r for r in scoring.common_records(campaign)}
    found = CommonPage()
    for entry in index.leaves:
        if not applies(index, entry, profile):
            continue
        for use in entry.uses:
            if use.key[0] == "statistic":
                record = stored.get(("statistics", use.key[1]))
                found.statistics.append(
                    Input("statistics", use, entry.code, entry.leaf.name, entry.leaf.supplied_by or "", record)
                )
    for item in index.items:
        if not index.applies(item, profile or None):
            continue
        for use in item.uses:
            data = {"indicator": use.key[1]} if use.key[0] == "indicator" else {"topics": [use.key[1]]}
            if owners(index, "metrics" if use.key[0] == "indicator" else "documents", data) != {COMMON}:
                continue  # an agency reports it (a leaf reads it too)
            if use.key[0] == "document":
                found.document_topics[use.key[1]] = use
                continue
            key = key_of(index, "metrics", {"indicator": use.key[1]})
            record = stored.get(("metrics", key))
            who = item.supplied_by or "đơn vị tự kê khai"
            found.items.append(Input("metrics", use, item.code, item.name, who, record))
    return found


def _form(campaign: Campaign, given: Input, *, data=None, files=None):
    cls = FORM_CLASSES[given.section]
    initial = cls.initial_from(given.record.data) if given.record else None
    prefix = f"{given.section}-{given.key}"
    return cls(data=data, files=files, initial=initial, prefix=prefix, use=given.use, documents=_documents(campaign))


def _document_form(campaign: Campaign, topics: dict, *, data=None, files=None, record=None):
    taken = set(Record.objects.filter(campaign=campaign, section="documents").values_list("key", flat=True))
    initial = DocumentForm.initial_from(record.data) if record else None
    return DocumentForm(
        data=data,
        files=files,
        initial=initial,
        prefix="documents",
        topics=topics,
        taken_ids=taken,
        existing=record.data if record else None,
    )


@campaign_view(ADMIN, AUDITOR)
@require_GET
def common_page(request, access):
    return _response(request, access)


def _response(request, access, *, bound: dict | None = None, status: int = 200):
    campaign = access.campaign
    found = _inputs(campaign)
    lock = evidence_lock(campaign, None, "", None)
    editable = access.role == ADMIN and lock is None
    bound = bound or {}
    for given in [*found.statistics, *found.items]:
        given.prefix = f"{given.section}-{given.key}"
        if editable:
            given.form = bound.get(given.prefix) or _form(campaign, given)
    documents = list(scoring.common_records(campaign).filter(section="documents").order_by("id"))
    document_form = None
    if editable:
        document_form = bound.get("documents") or _document_form(campaign, found.document_topics or {})
    return page(
        request,
        "common.html",
        access,
        found=found,
        documents=documents,
        document_form=document_form,
        editable=editable,
        lock=lock,
        status=status,
    )


def _find(campaign: Campaign, section: str, key: str) -> Input:
    found = _inputs(campaign)
    for given in [*found.statistics, *found.items]:
        if given.section == section and given.key == key:
            return given
    raise Http404("Không có số liệu này trong danh mục của chiến dịch.")


@campaign_view(ADMIN)
@require_POST
def common_save(request, access, section: str, key: str):
    """Save (create or update) the figure of one statistic or item input."""
    campaign = access.campaign
    if section == "documents":
        return _save_document(request, access)
    if section not in ("statistics", "metrics"):
        raise Http404("Không có loại bản ghi này.")
    given = _find(campaign, section, key)
    form = _form(campaign, given, data=request.POST)
    try:
        version = int(request.POST.get("version", "")) if given.record else None
    except ValueError:
        version = -1
    if form.is_valid():
        try:
            save_record(
                request.user, None, section, dict(form.record), record=given.record, version=version, campaign=campaign
            )
        except Locked as exc:
            messages.error(request, f"Không lưu được: {exc.reason}.")
            return redirect("common", campaign_id=campaign.pk)
        except Refused as exc:
            form.add_problems(exc.own)
            for problem in exc.others:
                form.add_error(None, problem.render())
        except Conflict:
            messages.error(request, "Số liệu này vừa được người khác sửa; đây là bản mới nhất, hãy nhập lại.")
            return redirect("common", campaign_id=campaign.pk)
        else:
            messages.success(request, f"Đã lưu số liệu {given.owner_code} ({given.key}).")
            return redirect("common", campaign_id=campaign.pk)
    return _response(request, access, bound={f"{section}-{key}": form}, status=400)


def _save_document(request, access):
    campaign = access.campaign
    form = _document_form(campaign, _inputs(campaign).document_topics, data=request.POST, files=request.FILES)
    if form.is_valid():
        data = dict(form.record)
        upload = form.cleaned_data.get("file")
        try:
            if upload:
                with upload_on_disk(upload) as on_disk:
                    stored = store(on_disk, request.user)
                data["file"] = {"path": stored.relative_path, "sha256": stored.sha256}
            save_record(request.user, None, "documents", data, campaign=campaign)
        except FileRefused as exc:
            form.add_error("file", str(exc))
        except Locked as exc:
            messages.error(request, f"Không lưu được: {exc.reason}.")
            return redirect("common", campaign_id=campaign.pk)
        except Refused as exc:
            form.add_problems(exc.own)
            for problem in exc.others:
                form.add_error(None, problem.render())
        else:
            messages.success(request, "Đã lưu văn bản.")
            return redirect("common", campaign_id=campaign.pk)
    return _response(request, access, bound={"documents": form}, status=400)


@campaign_view(ADMIN, AUDITOR)
@require_http_methods(["GET"])
def common_record(request, access, record_id: int):
    record = Record.objects.filter(campaign=access.campaign, part__isnull=True, pk=record_id).first()
    if record is None:
        raise Http404("Không tìm thấy bản ghi.")
    return page(request, "common_record.html", access, record=record, history=record_history(record))


@campaign_view(ADMIN)
@require_POST
def common_delete(request, access, record_id: int):
    record = Record.objects.filter(campaign=access.campaign, part__isnull=True, pk=record_id).first()
    if record is None:
        raise Http404("Không tìm thấy bản ghi.")
    delete_from_form(request, record)
    return redirect("common", campaign_id=access.campaign.pk)
