"""Every write of evidence goes through here: one transaction, the holder locked (the agency's part, or the campaign
for the administrator's own records), its lock checked (submitted, deadline, appraisal round), the record's version
compared (optimistic concurrency), the holder's records re-checked against the catalogue with the change applied (so
stored evidence always scores), references between records kept whole, and the change logged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from par_score.errors import Problem
from par_score.scoring.result import ScoreResult
from par_score.web.workspace.appraisal_state import evidence_lock
from par_score.web.workspace.catalogues import COMMON, campaign_catalogue, owners, summed
from par_score.web.workspace.history import log_change, snapshot
from par_score.web.workspace.models import SECTION_LABELS, AgencyPart, Campaign, Record
from par_score.web.workspace.naming import COMMON_FILE
from par_score.web.workspace.parts import (
    Entry,
    Scored,
    agency_parts,
    common_parts,
    common_records,
    entries_of,
    file_names,
    outcomes,
    part_data,
    preview_key,
    score_parts,
)

EDITED_FILE = "ban-ghi-dang-luu.yaml"  # the record being saved, as its own part: its problems are the form's
KEY_FIELDS = {
    "documents": "id",
    "metrics": "indicator",
    "not_applicable": "criterion",
    "not_achieved": "topic",
    "survey": "item",
    "explanations": "criterion",
    "statistics": "statistic",
}
KEY_LABELS = {
    "documents": "mã văn bản",
    "metrics": "chỉ số",
    "not_applicable": "tiêu chí",
    "not_achieved": "khai báo không đạt của chủ đề",
    "survey": "mục điều tra",
    "explanations": "tiêu chí",
    "statistics": "số liệu thống kê",
}


class Locked(Exception):
    """The holder cannot be changed now (submitted, past its deadline, under appraisal)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Conflict(Exception):
    """Someone saved the record since this edit started: `current` is what is stored now."""

    def __init__(self, current: Record | None):
        super().__init__("conflict")
        self.current = current


class Refused(Exception):
    """The change would leave the holder unscorable: `own` are the problems of the saved record (by field), `others`
    those it causes elsewhere."""

    def __init__(self, own: list[Problem], others: list[Problem] = ()):
        super().__init__("; ".join(p.render() for p in [*own, *others]))
        self.own = list(own)
        self.others = list(others)


def key_of(index, section: str, data: dict[str, Any]) -> str:
    """What makes a record unique in its campaign: its id or code; a summed indicator's figure is one per
    contributor, a không đạt declaration one per topic and period."""
    key = str(data.get(KEY_FIELDS[section], ""))
    if section == "metrics" and summed(index, key):
        return f"{key}@{data.get('contributor') or ''}"
    if section == "not_achieved" and data.get("period"):
        return f"{key}@{data['period']}"
    return key


def owner_name(owner: str) -> str:
    return owner or "Sở Nội vụ (số liệu chung của chiến dịch)"


@dataclass(frozen=True)
class Holder:
    """Who holds a record: an agency's part, or the campaign itself (the administrator's records)."""

    campaign: Campaign
    part: AgencyPart | None = None

    @property
    def owner(self) -> str:
        return self.part.agency if self.part is not None else COMMON

    def records(self):
        return self.part.records.all() if self.part is not None else common_records(self.campaign)

    def locked(self) -> Holder:
        """The holder again, its row locked until the transaction ends (one change of a part at a time)."""
        if self.part is not None:
            part = AgencyPart.objects.select_for_update().select_related("campaign").get(pk=self.part.pk)
            return Holder(part.campaign, part)
        return Holder(Campaign.objects.select_for_update().get(pk=self.campaign.pk))


def _locked(records):
    """Records locked until the transaction ends, by primary key: the model's ordering (by part) would join the
    nullable part, and PostgreSQL cannot lock the nullable side of an outer join."""
    return records.select_for_update().order_by("pk")


def holder_of(record: Record) -> Holder:
    return Holder(record.campaign, record.part)


def _check_owner(holder: Holder, section: str, data: dict[str, Any]) -> None:
    allowed = owners(campaign_catalogue(holder.campaign), section, data)
    if holder.owner not in allowed:
        whose = ", ".join(sorted(owner_name(o) for o in allowed)) or "không cơ quan nào trong danh mục"
        raise Refused(
            [
                Problem(
                    f"{SECTION_LABELS[section].lower()} này thuộc phần của {whose}, không phải của "
                    f"{owner_name(holder.owner)}"
                )
            ]
        )


def _ensure_open(holder: Holder, section: str, data: dict | None, *, deadline: bool = True) -> None:
    reason = evidence_lock(holder.campaign, holder.part, section, data, deadline=deadline)
    if reason:
        raise Locked(reason)


@dataclass(frozen=True)
class Saved:
    record: Record
    preview: ScoreResult | None  # the holder's preview with the change applied (None: nothing changed)


def check(holder: Holder, entries: list[Entry], edited: Entry | None = None) -> Scored:
    """The holder's preview with these records (an agency's part, or the administrator's records checked against the
    whole catalogue); Refused unless they pass every check of the catalogue. `edited`, one of `entries` (the same
    object), is the record being saved: when the records do not pass, it is scored again as its own file, so that
    its problems are told apart from those it causes elsewhere."""
    scored = _score(holder, entries)
    if not scored.problems:
        return scored
    if edited is None:
        raise Refused([], scored.problems)
    split = _score(holder, [e for e in entries if e is not edited], edited)
    problems = split.problems or scored.problems
    own = [p for p in problems if p.file == EDITED_FILE]
    raise Refused(own, [p for p in problems if p.file != EDITED_FILE])


def _score(holder: Holder, entries: list[Entry], edited: Entry | None = None) -> Scored:
    everything = [*entries, *([edited] if edited else [])]
    if holder.part is not None:
        parts = agency_parts(holder.part, everything)
        own_file = file_names(holder.campaign)[holder.part.agency]
    else:
        parts = common_parts(holder.campaign, everything)
        own_file = COMMON_FILE
    if edited is not None:
        parts[own_file] = part_data(entries)
        parts[EDITED_FILE] = part_data([edited])
    agency = holder.part.agency if holder.part is not None else None
    return score_parts(holder.campaign, parts, agency=agency)


def check_part(part: AgencyPart, entries: list[Entry]) -> ScoreResult:
    return check(Holder(part.campaign, part), entries).result


def _unique(campaign: Campaign, section: str, key: str, exclude: int | None) -> None:
    taken = Record.objects.filter(campaign=campaign, section=section, key=key)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    holder = taken.select_related("part").first()
    if holder is not None:
        raise Refused(
            [
                Problem(
                    f"{KEY_LABELS[section]} '{key.split('@')[0]}' đã có trong phần của {owner_name(holder.owner)}",
                    field=KEY_FIELDS[section],
                )
            ]
        )


def citing(campaign: Campaign, document_id: str, *, exclude: int | None = None) -> list[Record]:
    """The records of a campaign (any part) that cite a document."""
    found = Record.objects.filter(campaign=campaign).exclude(section="documents").select_related("part")
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return [r for r in found if document_id in (r.data.get("documents") or [])]


def _keep_citations(campaign: Campaign, current: Record, new_key: str | None) -> None:
    """A document that other records cite is neither deleted nor renamed under them."""
    if current.section != "documents" or new_key == current.key:
        return
    users = citing(campaign, current.key)
    if users:
        named = "; ".join(
            f"{SECTION_LABELS[r.section].lower()} {r.key.split('@')[0]} ({owner_name(r.owner)})" for r in users
        )
        action = "xóa" if new_key is None else "đổi mã"
        raise Refused(
            [
                Problem(
                    f"văn bản '{current.key}' đang là tài liệu kèm theo của {len(users)} bản ghi khác ({named}); "
                    f"hãy bỏ văn bản khỏi các bản ghi đó trước khi {action}",
                    field="id",
                )
            ]
        )


def save_record(
    user,
    part: AgencyPart | None,
    section: str,
    data: dict[str, Any],
    *,
    record: Record | None = None,
    version: int | None = None,
    campaign: Campaign | None = None,
) -> Saved:
    """Create (record None) or update a record of `part` (None: the campaign's own records) with `data` (a
    validated record's stored form)."""
    holder = Holder(campaign or part.campaign, part)
    _check_owner(holder, section, data)
    key = key_of(campaign_catalogue(holder.campaign), section, data)
    try:
        with transaction.atomic():
            holder = holder.locked()
            _ensure_open(holder, section, data)
            current = None
            if record is not None:
                current = _locked(Record.objects.filter(pk=record.pk, part=holder.part)).first()
                if current is None or current.version != version:
                    raise Conflict(current)
                if current.data == data:
                    return Saved(current, None)
                _ensure_open(holder, current.section, current.data)
                _keep_citations(holder.campaign, current, key)
            _unique(holder.campaign, section, key, current.pk if current else None)
            others = [r for r in holder.records() if current is None or r.pk != current.pk]
            candidate = Record(id=current.pk if current else None, section=section, data=data)
            entries = entries_of([*others, candidate])
            edited = next(e for e in entries if e[1] is data)
            scored = check(holder, entries, edited)
            now = timezone.now()
            before = current.data if current else None
            if current is None:
                current = _new_record(holder, section, key, data, user, now)
            else:
                current.key, current.data, current.file_sha256 = key, data, _file_sha(data)
                current.version += 1
                current.updated_at, current.updated_by = now, user
                current.save()
            _bump(holder)
            change = log_change(
                holder.campaign,
                user,
                "update" if before is not None else "create",
                agency=holder.owner,
                record=current,
                before=before,
                after=snapshot(current),
            )
            _keep_outcome(holder, change.seq, scored)
            return Saved(current, scored.result)
    except IntegrityError:  # a concurrent save took the same key between the check and the insert
        raise Refused(
            [Problem(f"{KEY_LABELS[section]} '{key}' vừa được lưu bởi người khác", field=KEY_FIELDS[section])]
        ) from None


def delete_record(user, record: Record, version: int) -> None:
    with transaction.atomic():
        holder = holder_of(record).locked()
        current = _locked(Record.objects.filter(pk=record.pk)).first()
        if current is None or current.version != version:
            raise Conflict(current)
        _ensure_open(holder, current.section, current.data)
        _keep_citations(holder.campaign, current, None)
        scored = check(holder, entries_of(r for r in holder.records() if r.pk != current.pk))
        change = log_change(
            holder.campaign, user, "delete", agency=holder.owner, record=current, before=snapshot(current)
        )
        current.delete()
        _bump(holder)
        _keep_outcome(holder, change.seq, scored)


def _new_record(holder: Holder, section: str, key: str, data: dict, user, now) -> Record:
    return Record.objects.create(
        campaign=holder.campaign,
        part=holder.part,
        section=section,
        key=key,
        data=data,
        updated_by=user,
        file_sha256=_file_sha(data),
        created_at=now,
        updated_at=now,
    )


def replace_records(
    user,
    part: AgencyPart | None,
    entries: list[Entry],
    *,
    note: str,
    ignore_deadline: bool = False,
    check_first: bool = True,
    campaign: Campaign | None = None,
) -> int:
    """Make `entries` the holder's records (an uploaded workbook, an import): records with the same key are updated,
    new ones created, the others deleted, each change logged. Returns the number of records changed.
    `check_first=False` for entries already checked as part of a whole bundle (an import checks every part
    together)."""
    holder = Holder(campaign or part.campaign, part)
    for section, data in entries:
        _check_owner(holder, section, data)
    index = campaign_catalogue(holder.campaign)
    with transaction.atomic():
        holder = holder.locked()
        _ensure_open(holder, "", None, deadline=not ignore_deadline)
        if check_first:
            check(holder, entries)
        existing = {(r.section, r.key): r for r in _locked(holder.records())}
        wanted = {(section, key_of(index, section, data)): data for section, data in entries}
        for section, key in wanted:
            if (section, key) not in existing:
                _unique(holder.campaign, section, key, None)
        changed = 0
        now = timezone.now()
        for (section, key), record in existing.items():
            if (section, key) not in wanted:
                log_change(
                    holder.campaign,
                    user,
                    "delete",
                    agency=holder.owner,
                    record=record,
                    before=snapshot(record),
                    note=note,
                )
                record.delete()
                changed += 1
        for (section, key), data in wanted.items():
            record = existing.get((section, key))
            if record is None:
                record = _new_record(holder, section, key, data, user, now)
                log_change(holder.campaign, user, "create", agency=holder.owner, record=record, after=data, note=note)
                changed += 1
            elif record.data != data:
                before = record.data
                record.data, record.file_sha256 = data, _file_sha(data)
                record.version += 1
                record.updated_at, record.updated_by = now, user
                record.save()
                log_change(
                    holder.campaign,
                    user,
                    "update",
                    agency=holder.owner,
                    record=record,
                    before=before,
                    after=data,
                    note=note,
                )
                changed += 1
        _bump(holder)
        return changed


def submit_part(user, part: AgencyPart) -> AgencyPart:
    with transaction.atomic():
        holder = Holder(part.campaign, part).locked()
        part = holder.part
        _ensure_open(holder, "", None)
        before = snapshot(part)
        part.submitted_at, part.submitted_by = timezone.now(), user
        _bump(holder)
        log_change(part.campaign, user, "submit", agency=part.agency, target=part, before=before, after=snapshot(part))
        return part


def reopen_part(user, part: AgencyPart, extended_until: dt.datetime | None) -> AgencyPart:
    with transaction.atomic():
        part = Holder(part.campaign, part).locked().part
        before = snapshot(part)
        part.submitted_at, part.submitted_by = None, None
        if extended_until is not None:
            part.extended_until = extended_until
        part.revision += 1
        part.save()
        log_change(part.campaign, user, "reopen", agency=part.agency, target=part, before=before, after=snapshot(part))
        return part


def _bump(holder: Holder) -> None:
    if holder.part is not None:
        holder.part.revision += 1
        holder.part.save()


def _keep_outcome(holder: Holder, head: int, scored: Scored) -> None:
    """The preview a save computed is the one its next page shows: kept once the transaction commits."""
    if holder.part is None or scored is None or scored.result is None:
        return
    key = preview_key(holder.part, head)
    transaction.on_commit(lambda: outcomes.put(key, scored))


def _file_sha(data: dict[str, Any]) -> str:
    attached = data.get("file")
    if not isinstance(attached, dict):
        return ""
    return attached.get("sha256") or ""
