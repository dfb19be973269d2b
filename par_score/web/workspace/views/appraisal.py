"""The appraisal pages: the whole campaign's appraisal (self, appraised and final points side by side, totals from
par_score's appraisal code), one criterion's appraisal (its evidence, the council's rounds, the agencies' giải
trình), the administrator's steps, the appraisers' points and the agencies' answers."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from par_score.web.workspace.appraisal_state import appraisal_of, commented_codes
from par_score.web.workspace.appraisals import (
    AppraisalRefused,
    Stale,
    advance,
    appraisal_view,
    appraised,
    open_appraisal,
    save_points,
    save_reply,
)
from par_score.web.workspace.catalogues import answers, applies, campaign_catalogue
from par_score.web.workspace.forms import NumberField, VnDateField, text_field
from par_score.web.workspace.forms_campaign import end_of_day
from par_score.web.workspace.models import Appraisal, AppraisalPoint, AppraisalReply
from par_score.web.workspace.presentation import grouped
from par_score.web.workspace.roles import ADMIN, AGENCY, APPRAISER, AUDITOR, campaign_view
from par_score.web.workspace.views.common import page


class OpenForm(forms.Form):
    council = text_field(
        "Hội đồng thẩm định", max_length=500, help_text="ví dụ: Hội đồng thẩm định Chỉ số CCHC năm 2024 (Bộ Nội vụ)"
    )
    date = VnDateField(label="Ngày thẩm định", required=False)


class AdvanceForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)
    reply_until = VnDateField(
        label="Hạn giải trình của các cơ quan", required=False, help_text="để trống: đến khi hội đồng chốt điểm"
    )


class PointsForm(forms.Form):
    points = NumberField(label="Điểm thẩm định", help_text="ví dụ 0,5")
    comment = text_field("Ý kiến của hội đồng", required=False, long=True, max_length=4000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReplyForm(forms.Form):
    text = text_field("Giải trình của cơ quan", long=True, max_length=8000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@campaign_view(ADMIN, AUDITOR, APPRAISER)
@require_GET
def appraisal_page(request, access):
    campaign = access.campaign
    view = appraisal_view(campaign)
    outcome = appraised(campaign)
    index = campaign_catalogue(campaign)
    records = list(campaign.records.select_related("part"))
    areas = grouped(index, outcome.result, records, None, campaign.unit_profile)
    points: dict[str, dict[int, AppraisalPoint]] = {}
    for p in campaign.appraisal_points.all():
        points.setdefault(p.criterion, {})[p.round] = p
    return page(
        request,
        "appraisal.html",
        access,
        view=view,
        outcome=outcome,
        areas=areas,
        points=points,
        replies=set(campaign.appraisal_replies.values_list("criterion", flat=True)),
        open_form=OpenForm(),
        advance_form=AdvanceForm(initial={"state": view.state if view else ""}),
    )


@campaign_view(ADMIN, AUDITOR, APPRAISER)
@require_GET
def appraisal_criterion(request, access, code: str):
    return _criterion_response(request, access, code)


def _criterion_response(request, access, code: str, *, bound: PointsForm | None = None, status: int = 200):
    campaign = access.campaign
    index = campaign_catalogue(campaign)
    entry = index.by_code.get(code)
    if entry is None or not applies(index, entry, campaign.unit_profile):
        raise Http404("Không có tiêu chí này.")
    appraisal = appraisal_of(campaign)
    outcome = appraised(campaign)
    records = list(campaign.records.select_related("part"))
    leaf_view = next(
        lv
        for a in grouped(index, outcome.result, records, None, campaign.unit_profile)
        for c in a.criteria
        for lv in c.leaves
        if lv.code == code
    )
    rounds = {p.round: p for p in campaign.appraisal_points.filter(criterion=code)}
    form = None
    round_ = _open_round(appraisal)
    if access.role == APPRAISER and round_ is not None and (round_ == 1 or code in commented_codes(campaign)):
        current = rounds.get(round_)
        initial = {"version": current.version if current else None}
        if current is not None:
            from par_score.web.workspace.forms import form_text

            initial.update(points=form_text(current.points), comment=current.comment)
        form = bound or PointsForm(initial=initial)
    return page(
        request,
        "appraisal_criterion.html",
        access,
        entry=entry,
        view=leaf_view,
        leaf=leaf_view.out,
        appraisal=appraisal,
        rounds=rounds,
        replies=campaign.appraisal_replies.filter(criterion=code).select_related("part", "updated_by"),
        form=form,
        round=round_,
        status=status,
    )


def _open_round(appraisal: Appraisal | None) -> int | None:
    if appraisal is None:
        return None
    return {Appraisal.ROUND_1: 1, Appraisal.ROUND_2: 2}.get(appraisal.state)


@campaign_view(APPRAISER)
@require_POST
def appraisal_points(request, access, code: str):
    campaign = access.campaign
    index = campaign_catalogue(campaign)
    if code not in index.by_code:
        raise Http404("Không có tiêu chí này.")
    round_ = _open_round(appraisal_of(campaign))
    form = PointsForm(request.POST)
    if round_ is None:
        messages.error(request, "Thẩm định chưa mở hoặc đã kết thúc.")
        return redirect("appraisal_criterion", campaign_id=campaign.pk, code=code)
    if form.is_valid():
        c = form.cleaned_data
        try:
            save_points(
                request.user, campaign, code, round_, _number(c["points"]), c["comment"], version=c.get("version")
            )
        except Stale:
            messages.error(request, "Điểm của tiêu chí này vừa được thành viên khác sửa; đây là bản mới nhất.")
            return redirect("appraisal_criterion", campaign_id=campaign.pk, code=code)
        except AppraisalRefused as exc:
            for problem in exc.problems:
                form.add_error("points" if problem.field == "points" else None, problem.message)
        else:
            messages.success(request, f"Đã lưu điểm thẩm định vòng {round_} của tiêu chí {code}.")
            return redirect("appraisal_criterion", campaign_id=campaign.pk, code=code)
    return _criterion_response(request, access, code, bound=form, status=400)


def _number(value):
    """A NumberField's value: a stated percent is no appraisal point, but its figure is the number typed."""
    return getattr(value, "value", value)


@campaign_view(ADMIN)
@require_POST
def appraisal_open(request, access):
    form = OpenForm(request.POST)
    if form.is_valid():
        try:
            open_appraisal(request.user, access.campaign, form.cleaned_data["council"], form.cleaned_data.get("date"))
        except AppraisalRefused as exc:
            messages.error(request, "Không mở được thẩm định: " + "; ".join(p.message for p in exc.problems))
        else:
            messages.success(request, "Đã mở thẩm định vòng 1. Hãy cấp tài khoản cho thành viên hội đồng.")
    else:
        messages.error(request, "Cần tên hội đồng thẩm định; ngày viết theo ngày/tháng/năm.")
    return redirect("appraisal", campaign_id=access.campaign.pk)


@campaign_view(ADMIN)
@require_POST
def appraisal_advance(request, access):
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày không hợp lệ; viết theo ngày/tháng/năm.")
        return redirect("appraisal", campaign_id=access.campaign.pk)
    day: dt.date | None = form.cleaned_data.get("reply_until")
    try:
        appraisal = advance(request.user, access.campaign, form.cleaned_data["state"], end_of_day(day) if day else None)
    except AppraisalRefused as exc:
        messages.error(request, "Không chuyển được: " + "; ".join(p.render() for p in exc.problems))
    else:
        messages.success(request, f"Thẩm định: {appraisal.state_label}.")
    return redirect("appraisal", campaign_id=access.campaign.pk)


@campaign_view(AGENCY)
@require_http_methods(["POST"])
def appraisal_reply(request, access, part_id: int, code: str):
    part = access.part(part_id)
    index = campaign_catalogue(part.campaign)
    entry = index.by_code.get(code)
    if entry is None or not answers(entry, part.agency) or not access.may_edit(part):
        raise Http404("Không có tiêu chí này trong phần của cơ quan.")
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            save_reply(request.user, part, code, form.cleaned_data["text"], version=form.cleaned_data.get("version"))
        except Stale:
            messages.error(request, "Giải trình vừa được đồng nghiệp sửa; đây là bản mới nhất, hãy xem lại.")
        except AppraisalRefused as exc:
            messages.error(request, "Không lưu được giải trình: " + "; ".join(p.message for p in exc.problems))
        else:
            messages.success(request, f"Đã gửi giải trình cho tiêu chí {code}.")
    else:
        messages.error(request, "Giải trình không hợp lệ: " + " ".join(m for e in form.errors.values() for m in e))
    return redirect("criterion", campaign_id=part.campaign_id, part_id=part.pk, code=code)


def reply_form(part, code: str) -> ReplyForm:
    current = AppraisalReply.objects.filter(campaign_id=part.campaign_id, part=part, criterion=code).first()
    initial = {"text": current.text, "version": current.version} if current else {}
    return ReplyForm(initial=initial, prefix=None)
