"""Every write of evidence goes through here: one transaction, the agency's part locked, its lock (submitted,
deadline) checked, the record's version compared (optimistic concurrency), the part re-checked against the catalogue
with the change applied (so stored evidence always scores), and the change logged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from par_score.errors import Problem
from par_score.scoring.result import ScoreResult
from par_score.web.workspace.catalogues import campaign_catalogue, owners
from par_score.web.workspace.history import log_change
from par_score.web.workspace.models import SECTION_LABELS, AgencyPart, Campaign, Record
from par_score.web.workspace.parts import Entry, agency_parts, entries_of, file_names, part_data, score_parts

EDITED_FILE = "ban-ghi-dang-luu.yaml"  # the record being saved, as its own part: its problems are the form's
KEY_FIELDS = {
    "documents": "id",
    "metrics": "indicator",
    "not_applicable": "criterion",
    "survey": "item",
    "explanations": "criterion",
}
KEY_LABELS = {
    "documents": "mã văn bản",
    "metrics": "chỉ số",
    "not_applicable": "tiêu chí",
    "survey": "mục điều tra",
    "explanations": "tiêu chí",
}


class Locked(Exception):
    """The part cannot be changed now (submitted or past its deadline)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Conflict(Exception):
    """Someone saved the record since this edit started: `current` is what is stored now."""

    def __init__(self, current: Record | None):
        super().__init__("conflict")
        self.current = current


class Refused(Exception):
    """The change would leave the part unscorable: `own` are the problems of the saved record (by field), `others`
    those it causes elsewhere in the part."""

    def __init__(self, own: list[Problem], others: list[Problem] = ()):
        super().__init__("; ".join(p.render() for p in [*own, *others]))
        self.own = list(own)
        self.others = list(others)


def key_of(section: str, data: dict[str, Any]) -> str:
    return str(data.get(KEY_FIELDS[section], ""))


def _locked_part(part: AgencyPart) -> AgencyPart:
    return AgencyPart.objects.select_for_update().select_related("campaign").get(pk=part.pk)


def _ensure_open(part: AgencyPart, *, deadline: bool = True) -> None:
    """Locked when submitted, or (unless `deadline` is False: an administrator's import) past the deadline."""
    reason = part.lock_reason() if deadline else part.lock_reason(now=part.deadline)
    if reason:
        raise Locked(reason)


def _check_owner(part: AgencyPart, section: str, data: dict[str, Any]) -> None:
    index = campaign_catalogue(part.campaign)
    allowed = owners(index, section, data)
    if part.agency not in allowed:
        whose = ", ".join(sorted(allowed)) or "không cơ quan nào trong danh mục"
        raise Refused(
            [Problem(f"{SECTION_LABELS[section].lower()} này thuộc phần của {whose}, không phải của {part.agency}")]
        )


@dataclass(frozen=True)
class Saved:
    record: Record
    preview: ScoreResult | None  # the agency's preview with the change applied (None: nothing changed)


def check_part(part: AgencyPart, entries: list[Entry], edited: Entry | None = None) -> ScoreResult:
    """The agency's preview with these records; Refused unless the part (its entries, plus `edited` as its own
    file) passes every check of the catalogue. Splitting the part in two files changes no point."""
    parts = agency_parts(part, [*entries, *([edited] if edited else [])])
    if edited is not None:
        parts[file_names(part.campaign)[part.agency]] = part_data(entries)
        parts[EDITED_FILE] = part_data([edited])
    scored = score_parts(part.campaign, parts, agency=part.agency)
    if scored.problems:
        own = [p for p in scored.problems if p.file == EDITED_FILE]
        raise Refused(own, [p for p in scored.problems if p.file != EDITED_FILE])
    return scored.result


def _unique(campaign: Campaign, section: str, key: str, exclude: int | None) -> None:
    taken = Record.objects.filter(campaign=campaign, section=section, key=key)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    holder = taken.select_related("part").first()
    if holder is not None:
        raise Refused(
            [
                Problem(
                    f"{KEY_LABELS[section]} '{key}' đã có trong phần của {holder.part.agency}",
                    field=KEY_FIELDS[section],
                )
            ]
        )


def save_record(
    user,
    part: AgencyPart,
    section: str,
    data: dict[str, Any],
    *,
    record: Record | None = None,
    version: int | None = None,
) -> Saved:
    """Create (record None) or update a record of `part` with `data` (a validated record's stored form)."""
    _check_owner(part, section, data)
    key = key_of(section, data)
    try:
        with transaction.atomic():
            part = _locked_part(part)
            _ensure_open(part)
            current = None
            if record is not None:
                current = Record.objects.select_for_update().filter(pk=record.pk, part=part).first()
                if current is None or current.version != version:
                    raise Conflict(current)
                if current.data == data:
                    return Saved(current, None)
            _unique(part.campaign, section, key, current.pk if current else None)
            others = [r for r in part.records.all() if current is None or r.pk != current.pk]
            result = check_part(part, entries_of(others), (section, data))
            now = timezone.now()
            before = current.data if current else None
            if current is None:
                current = Record.objects.create(
                    campaign=part.campaign,
                    part=part,
                    section=section,
                    key=key,
                    data=data,
                    updated_by=user,
                    file_sha256=_file_sha(data),
                    created_at=now,
                    updated_at=now,
                )
            else:
                current.key, current.data, current.file_sha256 = key, data, _file_sha(data)
                current.version += 1
                current.updated_at, current.updated_by = now, user
                current.save()
            _bump(part)
            log_change(
                part.campaign,
                user,
                "update" if before is not None else "create",
                agency=part.agency,
                record=current,
                before=before,
                after=data,
            )
            return Saved(current, result)
    except IntegrityError:  # a concurrent save took the same key between the check and the insert
        raise Refused(
            [Problem(f"{KEY_LABELS[section]} '{key}' vừa được lưu bởi người khác", field=KEY_FIELDS[section])]
        ) from None


def delete_record(user, record: Record, version: int) -> None:
    with transaction.atomic():
        part = _locked_part(record.part)
        _ensure_open(part)
        current = Record.objects.select_for_update().filter(pk=record.pk).first()
        if current is None or current.version != version:
            raise Conflict(current)
        check_part(part, entries_of(r for r in part.records.all() if r.pk != current.pk))
        log_change(part.campaign, user, "delete", agency=part.agency, record=current, before=current.data)
        current.delete()
        _bump(part)


def replace_records(
    user, part: AgencyPart, entries: list[Entry], *, note: str, ignore_deadline: bool = False, check: bool = True
) -> int:
    """Make `entries` the part's records (an uploaded workbook, an import): records with the same key are updated,
    new ones created, the others deleted, each change logged. Returns the number of records changed. `check=False`
    for entries already checked as part of a whole bundle (an import checks every part together)."""
    for section, data in entries:
        _check_owner(part, section, data)
    with transaction.atomic():
        part = _locked_part(part)
        _ensure_open(part, deadline=not ignore_deadline)
        if check:
            check_part(part, entries)
        existing = {(r.section, r.key): r for r in part.records.select_for_update()}
        wanted = {(section, key_of(section, data)): data for section, data in entries}
        for (section, key), _ in wanted.items():
            if (section, key) not in existing:
                _unique(part.campaign, section, key, None)
        changed = 0
        now = timezone.now()
        for (section, key), record in existing.items():
            if (section, key) not in wanted:
                log_change(
                    part.campaign, user, "delete", agency=part.agency, record=record, before=record.data, note=note
                )
                record.delete()
                changed += 1
        for (section, key), data in wanted.items():
            record = existing.get((section, key))
            if record is None:
                record = Record.objects.create(
                    campaign=part.campaign,
                    part=part,
                    section=section,
                    key=key,
                    data=data,
                    updated_by=user,
                    file_sha256=_file_sha(data),
                    created_at=now,
                    updated_at=now,
                )
                log_change(part.campaign, user, "create", agency=part.agency, record=record, after=data, note=note)
                changed += 1
            elif record.data != data:
                before = record.data
                record.data, record.file_sha256 = data, _file_sha(data)
                record.version += 1
                record.updated_at, record.updated_by = now, user
                record.save()
                log_change(
                    part.campaign,
                    user,
                    "update",
                    agency=part.agency,
                    record=record,
                    before=before,
                    after=data,
                    note=note,
                )
                changed += 1
        _bump(part)
        return changed


def submit_part(user, part: AgencyPart) -> AgencyPart:
    with transaction.atomic():
        part = _locked_part(part)
        _ensure_open(part)
        part.submitted_at, part.submitted_by = timezone.now(), user
        _bump(part)
        log_change(
            part.campaign, user, "submit", agency=part.agency, after={"submitted_at": part.submitted_at.isoformat()}
        )
        return part


def reopen_part(user, part: AgencyPart, extended_until: dt.datetime | None) -> AgencyPart:
    with transaction.atomic():
        part = _locked_part(part)
        before = {
            "submitted_at": part.submitted_at.isoformat() if part.submitted_at else None,
            "extended_until": part.extended_until.isoformat() if part.extended_until else None,
        }
        part.submitted_at, part.submitted_by = None, None
        if extended_until is not None:
            part.extended_until = extended_until
        _bump(part)
        after = {
            "submitted_at": None,
            "extended_until": part.extended_until.isoformat() if part.extended_until else None,
        }
        log_change(part.campaign, user, "reopen", agency=part.agency, before=before, after=after)
        return part


def _bump(part: AgencyPart) -> None:
    part.revision += 1
    part.save()


def _file_sha(data: dict[str, Any]) -> str:
    attached = data.get("file")
    if not isinstance(attached, dict):
        return ""
    return attached.get("sha256") or ""
