"""Campaign list, creation, settings, accounts, the administrator's dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from par_score import api
from par_score.errors import ParScoreError
from par_score.web.workspace import parts as scoring
from par_score.web.workspace.appraisals import appraisal_view
from par_score.web.workspace.catalogues import campaign_catalogue
from par_score.web.workspace.files import FileRefused, upload_on_disk
from par_score.web.workspace.forms_campaign import AccountForm, CampaignForm, CampaignSettingsForm, end_of_day
from par_score.web.workspace.history import log_change, snapshot
from par_score.web.workspace.models import AgencyPart, Campaign, Membership
from par_score.web.workspace.parts import unit_data, unit_problems
from par_score.web.workspace.presentation import progress
from par_score.web.workspace.roles import (
    ADMIN,
    AGENCY,
    APPRAISER,
    AUDITOR,
    admin_view,
    campaign_view,
    campaigns_for,
    is_admin,
)
from par_score.web.workspace.views.common import page

User = get_user_model()


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    campaigns = list(campaigns_for(request.user))
    if len(campaigns) == 1 and not is_admin(request.user):
        return redirect("campaign", campaign_id=campaigns[0].pk)
    return redirect("campaigns")


@require_GET
def campaign_list(request):
    if not request.user.is_authenticated:
        return redirect("login")
    return page(request, "campaigns.html", campaigns=campaigns_for(request.user), admin=is_admin(request.user))


@admin_view
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    catalogues = {name: api.load_catalogue(name) for name in api.bundled_catalogues()}
    form = CampaignForm(request.POST or None, request.FILES or None, catalogues=catalogues)
    if request.method == "POST" and form.is_valid():
        campaign = _create_campaign(request, form)
        if campaign is not None:
            messages.success(request, f"Đã tạo chiến dịch '{campaign.name}' với {campaign.parts.count()} cơ quan.")
            problems = unit_problems(campaign_catalogue(campaign), unit_data(campaign), campaign.year)
            if problems:
                messages.warning(request, "Hãy hoàn tất thông tin đơn vị: " + "; ".join(p.message for p in problems))
                return redirect("campaign_settings", campaign_id=campaign.pk)
            return redirect("accounts", campaign_id=campaign.pk)
    return page(request, "campaign_new.html", form=form)


def _create_campaign(request, form: CampaignForm) -> Campaign | None:
    c = form.cleaned_data
    stored = None
    try:
        if c.get("catalogue_file"):
            with upload_on_disk(c["catalogue_file"]) as upload:
                if upload.path.suffix.lower() not in (".yaml", ".yml"):
                    form.add_error("catalogue_file", "tệp danh mục phải là .yaml")
                    return None
                index = api.load_catalogue(upload.path)
                stored = _store_catalogue(upload, request.user)
        else:
            index = api.load_catalogue(c["catalogue"])
    except ParScoreError as exc:
        for problem in exc.problems:
            form.add_error("catalogue_file" if c.get("catalogue_file") else "catalogue", problem.render())
        return None
    except FileRefused as exc:
        form.add_error("catalogue_file", str(exc))
        return None
    if index.year != c["year"]:
        form.add_error("year", f"danh mục '{index.id}' dành cho năm đánh giá {index.year}")
    if index.catalogue.unit_level != c["unit_level"]:
        form.add_error(
            "unit_level",
            f"danh mục '{index.id}' dành cho {dict(form.fields['unit_level'].choices)[index.catalogue.unit_level]}",
        )
    if form.errors:
        return None
    unit = {"code": c["unit_code"], "name": c["unit_name"], "level": c["unit_level"]}
    unit |= {k: c[f] for k, f in (("profile", "profile"), ("cluster", "cluster")) if c.get(f)}
    for problem in unit_problems(index, unit, c["year"]):
        field = {"unit.profile": "profile", "unit.cluster": "cluster"}.get(problem.field or "")
        if stored is not None and field and not c.get(field):
            continue  # an uploaded catalogue's profiles are offered on the settings page, once it is stored
        form.add_error(field if field in form.fields else None, problem.message)
    if form.errors:
        return None
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=c["name"],
            unit_code=c["unit_code"],
            unit_name=c["unit_name"],
            unit_level=c["unit_level"],
            year=c["year"],
            catalogue_id=index.id,
            catalogue_file=stored,
            unit_profile=c.get("profile") or "",
            unit_cluster=c.get("cluster") or "",
            deadline=end_of_day(c["deadline"]),
            created_by=request.user,
        )
        for position, agency in enumerate(index.agencies()):
            AgencyPart.objects.create(campaign=campaign, agency=agency, position=position)
        log_change(campaign, request.user, "campaign", target=campaign, after=snapshot(campaign), note=index.id)
    return campaign


def _store_catalogue(upload, user):
    """An uploaded catalogue is kept like an attached file (by its sha256), typed by its YAML extension."""
    from par_score.web.workspace.files import sha256_of, store_root
    from par_score.web.workspace.models import StoredFile

    digest = sha256_of(upload.path)
    stored, _ = StoredFile.objects.get_or_create(
        sha256=digest,
        defaults={
            "extension": "yaml",
            "content_type": "application/yaml",
            "size": upload.size,
            "original_name": upload.name,
            "created_by": user,
        },
    )
    target = store_root() / stored.relative_path
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(upload.path.read_bytes())
    return stored


@campaign_view(ADMIN, AGENCY, AUDITOR, APPRAISER)
@require_GET
def campaign_home(request, access):
    if access.role == AGENCY:
        part = access.parts().first()
        if part is None:
            return page(request, "no_part.html", access)
        return redirect("part", campaign_id=access.campaign.pk, part_id=part.pk)
    if access.role == AUDITOR:
        return redirect("audit", campaign_id=access.campaign.pk)
    if access.role == APPRAISER:
        return redirect("appraisal", campaign_id=access.campaign.pk)
    return redirect("dashboard", campaign_id=access.campaign.pk)


@campaign_view(ADMIN, AUDITOR)
@require_GET
def dashboard(request, access):
    campaign = access.campaign
    rows = []
    for part in campaign.parts.all():
        preview = scoring.preview(part)
        rows.append(
            {
                "part": part,
                "progress": progress(preview.result, part.agency),
                "problems": preview.problems,
                "lock": part.lock_reason(),
            }
        )
    province = scoring.province(campaign)
    appraisal = appraisal_view(campaign) if province.result is not None else None
    return page(
        request,
        "dashboard.html",
        access,
        rows=rows,
        province=province,
        appraisal=appraisal,
        common=scoring.common_records(campaign).count(),
        runs=campaign.runs.all()[:5],
    )


@campaign_view(ADMIN)
@require_http_methods(["GET", "POST"])
def campaign_settings(request, access):
    campaign = access.campaign
    index = campaign_catalogue(campaign)
    form = CampaignSettingsForm(request.POST or None, initial=CampaignSettingsForm.initial_from(campaign), index=index)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        with transaction.atomic():
            locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
            if locked.version != c["version"]:
                messages.error(
                    request, "Thông tin chiến dịch vừa được người khác sửa; đây là bản mới nhất, hãy sửa lại."
                )
                return redirect("campaign_settings", campaign_id=campaign.pk)
            before = snapshot(locked)
            locked.name, locked.deadline, locked.report = c["name"], end_of_day(c["deadline"]), form.report
            if "profile" in form.fields:
                locked.unit_profile = c.get("profile") or ""
            if "cluster" in form.fields:
                locked.unit_cluster = c.get("cluster") or ""
            problems = _unit_change_problems(locked, before)
            if problems:
                for problem in problems:
                    field = {"unit.profile": "profile", "unit.cluster": "cluster"}.get(problem.field or "")
                    form.add_error(field if field in form.fields else None, problem.render())
                transaction.set_rollback(True)
                return page(request, "campaign_settings.html", access, form=form, status=400)
            locked.version += 1
            locked.save()
            log_change(locked, request.user, "campaign", target=locked, before=before, after=snapshot(locked))
        messages.success(request, "Đã lưu thông tin chiến dịch.")
        return redirect("dashboard", campaign_id=campaign.pk)
    return page(request, "campaign_settings.html", access, form=form)


def _unit_change_problems(campaign: Campaign, before: dict) -> list:
    """A new profile or cluster must suit the catalogue and leave the stored evidence scorable (the records of a
    criterion the new profile excludes would not be)."""
    if (campaign.unit_profile, campaign.unit_cluster) == (before["profile"], before["cluster"]):
        return []
    problems = unit_problems(campaign_catalogue(campaign), unit_data(campaign), campaign.year)
    if problems:
        return problems
    return scoring.score_parts(campaign, scoring.campaign_parts(campaign)).problems


@campaign_view(ADMIN)
@require_http_methods(["GET", "POST"])
def accounts(request, access):
    campaign = access.campaign
    agencies = [p.agency for p in campaign.parts.all()]
    form = AccountForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        user = User.objects.filter(username=c["username"]).first()
        if user is not None and user.is_superuser:
            form.add_error("username", "đây là tài khoản quản trị viên, đã có mọi quyền")
        elif user is not None and Membership.objects.filter(campaign=campaign, user=user).exists():
            form.add_error("username", "tài khoản này đã có vai trò trong chiến dịch")
        elif user is None and not c["password"]:
            form.add_error("password", "tài khoản mới cần mật khẩu ban đầu")
        elif user is not None and c["password"]:
            form.add_error("password", "tài khoản này đã có; để trống mật khẩu (đổi mật khẩu bằng nút 'Đặt lại')")
        else:
            candidate = user or User(username=c["username"], first_name=c.get("full_name", ""))
            try:
                if c["password"]:
                    validate_password(c["password"], candidate)
            except ValidationError as exc:
                form.add_error("password", exc)
            else:
                with transaction.atomic():
                    if user is None:
                        user = User.objects.create_user(
                            c["username"], password=c["password"], first_name=c.get("full_name", "")
                        )
                    member = Membership.objects.create(campaign=campaign, user=user, role=c["role"], agency=c["agency"])
                    log_change(
                        campaign, request.user, "member", agency=member.agency, target=member, after=snapshot(member)
                    )
                messages.success(request, f"Đã thêm tài khoản '{user.username}'.")
                return redirect("accounts", campaign_id=campaign.pk)
    members = campaign.members.select_related("user")
    return page(request, "accounts.html", access, form=form, members=members)


@campaign_view(ADMIN)
@require_POST
def account_remove(request, access, member_id: int):
    member = get_object_or_404(Membership, pk=member_id, campaign=access.campaign)
    with transaction.atomic():
        log_change(
            access.campaign, request.user, "member", agency=member.agency, target=member, before=snapshot(member)
        )
        member.delete()
    messages.success(request, f"Đã gỡ vai trò của '{member.user.username}' trong chiến dịch.")
    return redirect("accounts", campaign_id=access.campaign.pk)


@campaign_view(ADMIN)
@require_POST
def account_password(request, access, member_id: int):
    member = get_object_or_404(Membership, pk=member_id, campaign=access.campaign)
    password = request.POST.get("password", "")
    try:
        validate_password(password, member.user)
    except ValidationError as exc:
        messages.error(request, f"Mật khẩu mới của '{member.user.username}' chưa đạt: " + " ".join(exc.messages))
        return redirect("accounts", campaign_id=access.campaign.pk)
    with transaction.atomic():
        member.user.set_password(password)
        member.user.save()
        log_change(
            access.campaign,
            request.user,
            "member",
            agency=member.agency,
            target=member,
            before=snapshot(member),
            after=snapshot(member),
            note="đặt lại mật khẩu",
        )
    messages.success(request, f"Đã đặt lại mật khẩu của '{member.user.username}'.")
    return redirect("accounts", campaign_id=access.campaign.pk)
