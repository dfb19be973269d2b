"""Helpers shared by the views."""

from __future__ import annotations

from django.shortcuts import render

from par_score.web.workspace.roles import Access


def page(request, template: str, access: Access | None = None, *, status: int = 200, **context):
    context.setdefault("access", access)
    context.setdefault("campaign", access.campaign if access else None)
    return render(request, f"workspace/{template}", context, status=status)
