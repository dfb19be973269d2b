"""Who may see and do what, decided on the server for every request.

- Sở Nội vụ administrators (superusers): every campaign, every part (read), the campaign's settings, accounts,
  reopening, imports, scoring runs.
- Agency editors (a Membership with an agency): only their own agency's part — others' parts, records and files do
  not exist for them (404), whether an id is guessed in a URL or tampered with in a form.
- Auditors (read-only): everything of their campaign, no write of any kind (403 on every POST).
- Appraisers (members of the appraisal council of one campaign): read the evidence of every criterion, propose and
  set the council's points and comments; never write evidence, accounts or settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from par_score.web.workspace.models import AgencyPart, Campaign, Membership, Record, StoredFile

ADMIN = "admin"
AGENCY = Membership.AGENCY
AUDITOR = Membership.AUDITOR
APPRAISER = Membership.APPRAISER
ROLE_LABELS = {
    ADMIN: "quản trị viên Sở Nội vụ",
    AGENCY: "cán bộ cơ quan",
    AUDITOR: "kiểm tra viên (chỉ đọc)",
    APPRAISER: "thành viên hội đồng thẩm định",
}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Access:
    """A user's standing in one campaign."""

    user: object
    campaign: Campaign
    role: str
    agency: str | None = None

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.role] + (f" — {self.agency}" if self.agency else "")

    def parts(self) -> QuerySet[AgencyPart]:
        parts = self.campaign.parts.all()
        return parts.filter(agency=self.agency) if self.role == AGENCY else parts

    def part(self, part_id: int) -> AgencyPart:
        found = self.parts().filter(pk=part_id).select_related("campaign").first()
        if found is None:
            raise Http404("Không tìm thấy phần của cơ quan.")
        return found

    def records(self) -> QuerySet[Record]:
        records = Record.objects.filter(campaign=self.campaign)
        return records.filter(part__agency=self.agency) if self.role == AGENCY else records

    def record(self, record_id: int) -> Record:
        found = self.records().filter(pk=record_id).select_related("part", "part__campaign").first()
        if found is None:
            raise Http404("Không tìm thấy bản ghi.")
        return found

    def stored_file(self, sha256: str) -> StoredFile:
        """A file attached to a record this user may read (or the campaign's catalogue file)."""
        cited = self.records().filter(file_sha256=sha256).exists()
        catalogue = self.campaign.catalogue_file is not None and self.campaign.catalogue_file.sha256 == sha256
        found = StoredFile.objects.filter(sha256=sha256).first() if (cited or catalogue) else None
        if found is None:
            raise Http404("Không tìm thấy tệp.")
        return found

    def may_edit(self, part: AgencyPart | None) -> bool:
        return self.role == AGENCY and part is not None and part.agency == self.agency


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def campaigns_for(user) -> QuerySet[Campaign]:
    if is_admin(user):
        return Campaign.objects.all()
    return Campaign.objects.filter(members__user=user).distinct()


def access_for(user, campaign_id: int) -> Access:
    campaign = Campaign.objects.filter(pk=campaign_id).select_related("catalogue_file").first()
    if campaign is None:
        raise Http404("Không tìm thấy chiến dịch.")
    if is_admin(user):
        return Access(user, campaign, ADMIN)
    membership = Membership.objects.filter(campaign=campaign, user=user).first()
    if membership is None:
        raise Http404("Không tìm thấy chiến dịch.")
    return Access(user, campaign, membership.role, membership.agency or None)


def campaign_view(*roles: str):
    """A view of one campaign for the given roles: anonymous → login; not a member → 404; another role → 403; an
    auditor never writes (403 on any method but GET/HEAD/OPTIONS). The view receives the Access."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, campaign_id: int, *args, **kwargs):
            access = access_for(request.user, campaign_id)
            if access.role not in roles:
                raise PermissionDenied("Vai trò của bạn không được dùng trang này.")
            if access.role == AUDITOR and request.method not in SAFE_METHODS:
                raise PermissionDenied("Kiểm tra viên chỉ được xem.")
            request.access = access
            return view(request, access, *args, **kwargs)

        wrapper.allowed_roles = roles
        return wrapper

    return decorate


def admin_view(view):
    """A view outside any campaign, for administrators only (403 for everyone else signed in)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied("Chỉ quản trị viên Sở Nội vụ được dùng trang này.")
        return view(request, *args, **kwargs)

    return wrapper
