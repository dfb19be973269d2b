"""Template filters: Vietnamese numbers and dates as the rest of par_score writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone

from par_score.evidence.model import DOCUMENT_KINDS
from par_score.numbers import vn as vn_number
from par_score.numbers import vn_percent
from par_score.web.workspace.models import SECTION_LABELS

register = template.Library()


@register.filter
def vn(value) -> str:
    if value is None or value == "":
        return "—"
    return vn_number(Decimal(str(value)))


@register.filter
def percent(value) -> str:
    return vn_percent(Decimal(str(value))) if value not in (None, "") else "—"


@register.filter
def vn_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"
    return f"{value:%d/%m/%Y}"


@register.filter
def kind_label(value: str) -> str:
    return DOCUMENT_KINDS.get(value, value)


@register.filter
def section_label(value: str) -> str:
    return SECTION_LABELS.get(value, value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def field_changes(change) -> list:
    from par_score.web.workspace.presentation import field_changes as rows

    return rows(change.before, change.after)


@register.filter
def has_common_inputs(campaign) -> bool:
    """Whether the campaign's catalogue has figures the administrator enters (statistics, bonus, deductions)."""
    from par_score.web.workspace.catalogues import campaign_catalogue

    index = campaign_catalogue(campaign)
    return bool(index.items) or any(use.key[0] == "statistic" for entry in index.leaves for use in entry.uses)


@register.filter
def ranks_by_clusters(campaign) -> bool:
    from par_score.outputs.ranking import ranks_by_clusters as ranks
    from par_score.web.workspace.catalogues import campaign_catalogue

    return ranks(campaign_catalogue(campaign))


@register.filter
def short_hash(value: str) -> str:
    return (value or "")[:12]


@register.filter
def attr_points(point) -> str | None:
    """The points of an AppraisalPoint (a template cannot read an attribute of a dictionary's value)."""
    return getattr(point, "points", None)
