"""Verifying a workspace: every change-log chain (par_score.web.workspace.chain: an edited, deleted or reordered entry,
an entry rewritten without the log key), and the database against its log — every object the log names is in the
state its last entry recorded (a point, a record, a lock changed by a direct edit of the database shows here), and
every stored file still has the hash it is named by."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from par_score.web.workspace.chain import Finding, describe, verify_chain
from par_score.web.workspace.files import sha256_of, store_root
from par_score.web.workspace.history import WORKSPACE_CHAIN, chain_of, entry_data, snapshot, target_of
from par_score.web.workspace.models import (
    AgencyPart,
    Appraisal,
    AppraisalPoint,
    AppraisalReply,
    Campaign,
    ChainHead,
    Change,
    Membership,
    Record,
    StoredFile,
)

# What a target label names, and the objects of a campaign that must each have a log entry.
KINDS = {
    "record": Record,
    "part": AgencyPart,
    "campaign": Campaign,
    "member": Membership,
    "appraisal": Appraisal,
    "points": AppraisalPoint,
    "reply": AppraisalReply,
}
TARGET_NAMES = {
    "record": "bản ghi",
    "part": "phần của cơ quan",
    "campaign": "thông tin chiến dịch",
    "member": "tài khoản trong chiến dịch",
    "appraisal": "giai đoạn thẩm định",
    "points": "điểm thẩm định",
    "reply": "giải trình thẩm định",
}


@dataclass
class Report:
    """The outcome of verifying one chain (a campaign's, or the workspace's)."""

    chain: str
    title: str
    entries: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


def verify_campaign(campaign: Campaign) -> Report:
    chain = chain_of(campaign)
    changes = list(Change.objects.filter(chain=chain).order_by("seq"))
    entries = [entry_data(c) for c in changes]
    head = ChainHead.objects.filter(chain=chain).values_list("seq", "hash").first()
    findings = verify_chain(chain, entries, head=head or (0, ""), key=settings.LOG_KEY)
    findings += state_findings(campaign, chain, changes)
    findings += file_findings(campaign, chain)
    return Report(chain, campaign.name, len(entries), findings)


def verify_workspace_chain() -> Report:
    changes = list(Change.objects.filter(chain=WORKSPACE_CHAIN).order_by("seq"))
    entries = [entry_data(c) for c in changes]
    head = ChainHead.objects.filter(chain=WORKSPACE_CHAIN).values_list("seq", "hash").first()
    findings = verify_chain(WORKSPACE_CHAIN, entries, head=head or (0, ""), key=settings.LOG_KEY)
    return Report(WORKSPACE_CHAIN, "tài khoản ngoài chiến dịch", len(entries), findings)


def verify_all() -> list[Report]:
    return [verify_workspace_chain(), *(verify_campaign(c) for c in Campaign.objects.order_by("pk"))]


def state_findings(campaign: Campaign, chain: str, changes: list[Change]) -> list[Finding]:
    """Objects whose state in the database differs from the state the log last recorded for them."""
    last: dict[str, Change] = {}
    for change in changes:
        if change.target:
            last[change.target] = change
    current = _current_objects(campaign)
    findings = []
    for target, change in last.items():
        kind = target.split(":", 1)[0]
        obj = current.pop(target, None)
        name = f"{TARGET_NAMES.get(kind, kind)} {_label(change)}"
        deleted = change.action == "delete" or (change.after is None and change.before is not None)
        if obj is None:
            if not deleted:
                findings.append(
                    Finding(
                        chain,
                        "state",
                        f"{name} không còn trong cơ sở dữ liệu nhưng nhật ký không ghi việc xóa "
                        f"(lần ghi cuối: {describe(entry_data(change))})",
                        change.seq,
                    )
                )
            continue
        if deleted:
            findings.append(
                Finding(
                    chain,
                    "state",
                    f"{name} đã bị xóa theo nhật ký ({describe(entry_data(change))}) nhưng vẫn còn trong cơ sở dữ liệu",
                    change.seq,
                )
            )
            continue
        state = snapshot(obj)
        if state != change.after:
            fields = _differing(change.after, state)
            findings.append(
                Finding(
                    chain,
                    "state",
                    f"{name} trong cơ sở dữ liệu khác với lần ghi cuối trong nhật ký ({describe(entry_data(change))})"
                    f": {fields}",
                    change.seq,
                )
            )
    for target, obj in current.items():
        if _never_logged(obj):
            continue
        kind = target.split(":", 1)[0]
        findings.append(
            Finding(
                chain,
                "state",
                f"{TARGET_NAMES.get(kind, kind)} {_object_label(obj)} có trong cơ sở dữ liệu nhưng "
                "không có trong nhật ký (được thêm thẳng vào cơ sở dữ liệu)",
            )
        )
    return findings


def _current_objects(campaign: Campaign) -> dict[str, object]:
    """The objects of a campaign whose every change is logged (parts are logged from their first submission)."""
    found: dict[str, object] = {}
    for obj in Record.objects.filter(campaign=campaign):
        found[target_of(obj)] = obj
    for obj in Membership.objects.filter(campaign=campaign).select_related("user"):
        found[target_of(obj)] = obj
    for obj in AppraisalPoint.objects.filter(campaign=campaign):
        found[target_of(obj)] = obj
    for obj in AppraisalReply.objects.filter(campaign=campaign).select_related("part"):
        found[target_of(obj)] = obj
    for obj in Appraisal.objects.filter(campaign=campaign):
        found[target_of(obj)] = obj
    found[target_of(campaign)] = campaign
    for part in AgencyPart.objects.filter(campaign=campaign):
        found[target_of(part)] = part
    return found


def _never_logged(obj) -> bool:
    """An object that exists without a log entry, rightly: an agency's part that was never submitted nor reopened."""
    return isinstance(obj, AgencyPart) and obj.submitted_at is None and obj.extended_until is None


def _label(change: Change) -> str:
    pieces = [change.key, f"({change.agency})" if change.agency else ""]
    return " ".join(p for p in pieces if p).strip() or change.target


def _object_label(obj) -> str:
    if isinstance(obj, Record):
        return f"{obj.key} ({obj.owner or 'số liệu chung'})"
    if isinstance(obj, AppraisalPoint):
        return f"{obj.criterion} vòng {obj.round}"
    if isinstance(obj, AppraisalReply):
        return f"{obj.criterion} ({obj.part.agency})"
    if isinstance(obj, Membership):
        return obj.user.username
    return str(obj)


def _differing(logged, stored) -> str:
    if not isinstance(logged, dict) or not isinstance(stored, dict):
        return f"ghi trong nhật ký {logged!r}, trong cơ sở dữ liệu {stored!r}"
    names = [k for k in dict.fromkeys([*logged, *stored]) if logged.get(k) != stored.get(k)]
    return "; ".join(f"{k}: nhật ký {logged.get(k)!r}, cơ sở dữ liệu {stored.get(k)!r}" for k in names)


def file_findings(campaign: Campaign, chain: str) -> list[Finding]:
    """Attached files a record cites that are missing from the store, or whose content no longer has their hash."""
    findings = []
    cited = set(Record.objects.filter(campaign=campaign).exclude(file_sha256="").values_list("file_sha256", flat=True))
    for stored in StoredFile.objects.filter(sha256__in=cited):
        path = store_root() / stored.relative_path
        if not path.is_file():
            findings.append(Finding(chain, "file", f"tệp đính kèm '{stored.original_name}' không còn trong kho"))
        elif sha256_of(path) != stored.sha256:
            findings.append(
                Finding(chain, "file", f"tệp đính kèm '{stored.original_name}' đã bị sửa: nội dung khác mã băm")
            )
    return findings
