"""The change log: every change of a campaign's evidence, points, comments, locks, accounts and settings is written
here, by this one function, inside the transaction that makes the change (so an entry exists exactly when its change
was committed), as the next link of its chain (par_score.web.workspace.chain).

Each entry names the object it changed (`target`, "record:12") and carries that object's whole state after the change
(`after`; for a deletion, `before`): snapshot() makes that state, the same way for the log and for verification."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from par_score.web.workspace import chain as hashing
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
)

WORKSPACE_CHAIN = "workspace"


def chain_of(campaign: Campaign | None) -> str:
    return f"campaign:{campaign.pk}" if campaign is not None else WORKSPACE_CHAIN


def _moment(value) -> str | None:
    return value.isoformat() if value is not None else None


def target_of(obj) -> str:
    """How an entry names what it changed."""
    kinds = {
        Record: "record",
        AgencyPart: "part",
        Campaign: "campaign",
        Membership: "member",
        Appraisal: "appraisal",
        AppraisalPoint: "points",
        AppraisalReply: "reply",
    }
    return f"{kinds[type(obj)]}:{obj.pk}"


def snapshot(obj) -> dict[str, Any]:
    """The state of an object as the log records it (and verification compares with the database)."""
    if isinstance(obj, Record):
        return obj.data
    if isinstance(obj, AgencyPart):
        return {"submitted_at": _moment(obj.submitted_at), "extended_until": _moment(obj.extended_until)}
    if isinstance(obj, Campaign):
        return {
            "name": obj.name,
            "deadline": _moment(obj.deadline),
            "report": obj.report,
            "profile": obj.unit_profile,
            "cluster": obj.unit_cluster,
        }
    if isinstance(obj, Membership):
        return {"username": obj.user.username, "role": obj.role, "agency": obj.agency}
    if isinstance(obj, Appraisal):
        return {
            "state": obj.state,
            "council": obj.council,
            "date": obj.date.isoformat() if obj.date else None,
            "reply_until": _moment(obj.reply_until),
        }
    if isinstance(obj, AppraisalPoint):
        return {
            "criterion": obj.criterion,
            "round": obj.round,
            "points": obj.points,
            "comment": obj.comment,
            "appraiser": obj.appraiser,
        }
    if isinstance(obj, AppraisalReply):
        return {"criterion": obj.criterion, "agency": obj.part.agency, "text": obj.text}
    raise TypeError(f"no snapshot for {type(obj).__name__}")


def log_change(
    campaign: Campaign | None,
    user,
    action: str,
    *,
    agency: str = "",
    record: Record | None = None,
    target: object | None = None,
    section: str = "",
    key: str = "",
    before: Any = None,
    after: Any = None,
    note: str = "",
) -> Change:
    """Append one entry to the chain of `campaign` (None: the workspace's own chain, for accounts outside any
    campaign). `target` (or `record`) is the object changed; its label is hashed with the entry."""
    assert transaction.get_connection().in_atomic_block, "a change is logged inside the transaction that makes it"
    name = chain_of(campaign)
    head = _locked_head(name)
    obj = target if target is not None else record
    entry = {
        "chain": name,
        "seq": head.seq + 1,
        "at": timezone.now(),
        "username": getattr(user, "username", "") or "",
        "action": action,
        "agency": agency,
        "section": section or (record.section if record else ""),
        "key": key or (record.key if record else ""),
        "target": target_of(obj) if obj is not None else "",
        "before": hashing.plain_json(before),
        "after": hashing.plain_json(after),
        "note": note[:500],
        "prev_hash": head.hash,
    }
    digest = hashing.entry_hash({**entry, "at": hashing.timestamp(entry["at"])})
    change = Change.objects.create(
        campaign=campaign,
        user=user if getattr(user, "pk", None) else None,
        record=record,
        hash=digest,
        seal=hashing.seal_of(settings.LOG_KEY, digest),
        **entry,
    )
    head.seq, head.hash = change.seq, digest
    head.save(update_fields=["seq", "hash"])
    return change


def _locked_head(name: str) -> ChainHead:
    """The chain's head, locked until the transaction ends (created at the chain's first entry)."""
    head = ChainHead.objects.select_for_update().filter(chain=name).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            ChainHead.objects.create(chain=name)
    except IntegrityError:  # someone else created it meanwhile
        pass
    return ChainHead.objects.select_for_update().get(chain=name)


def entry_data(change: Change) -> dict[str, Any]:
    """An entry as the chain hashes it (and as it is exported)."""
    data = {name: getattr(change, name) for name in hashing.FIELDS}
    data["at"] = hashing.timestamp(change.at)
    data["hash"], data["seal"] = change.hash, change.seal
    return data


def record_history(record: Record):
    """Every logged change of one record, oldest first (also those made before an id change)."""
    return Change.objects.filter(record=record).select_related("user")
