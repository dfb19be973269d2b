"""The change log: every change of a campaign's evidence, locks, accounts and settings is written here, by this one
function, inside the transaction that makes the change (so an entry exists exactly when its change was committed)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from par_score.web.workspace.models import Campaign, Change, Record


def log_change(
    campaign: Campaign,
    user,
    action: str,
    *,
    agency: str = "",
    record: Record | None = None,
    section: str = "",
    key: str = "",
    before: Any = None,
    after: Any = None,
    note: str = "",
) -> Change:
    assert transaction.get_connection().in_atomic_block, "a change is logged inside the transaction that makes it"
    return Change.objects.create(
        campaign=campaign,
        user=user,
        username=getattr(user, "username", "") or "",
        action=action,
        agency=agency,
        record=record,
        section=section or (record.section if record else ""),
        key=key or (record.key if record else ""),
        before=before,
        after=after,
        note=note[:500],
    )


def record_history(record: Record):
    """Every logged change of one record, oldest first (also those made before an id change)."""
    return Change.objects.filter(record=record).select_related("user")
