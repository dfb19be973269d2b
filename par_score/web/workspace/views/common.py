"""Helpers shared by the views."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render

from par_score.web.workspace.records import Conflict, Locked, Refused, delete_record
from par_score.web.workspace.roles import Access


def page(request, template: str, access: Access | None = None, *, status: int = 200, **context):
    context.setdefault("access", access)
    context.setdefault("campaign", access.campaign if access else None)
    return render(request, f"workspace/{template}", context, status=status)


def delete_from_form(request, record) -> None:
    """Delete `record` at the version its form was shown with; the outcome is a message on the next page."""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        delete_record(request.user, record, version)
    except Locked as exc:
        messages.error(request, f"Không xóa được: {exc.reason}.")
    except Conflict:
        messages.error(request, "Bản ghi đã được người khác sửa hoặc xóa; hãy xem lại trước khi xóa.")
    except Refused as exc:
        messages.error(
            request,
            "Không xóa được vì bản ghi khác đang dùng đến: " + "; ".join(p.render() for p in [*exc.own, *exc.others]),
        )
    else:
        messages.success(request, "Đã xóa bản ghi.")
