"""Request-wide guards: a bounded request size, and a content security policy that allows only this server."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse

POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class RequestLimits:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            from par_score.web.workspace.files import size_text

            return HttpResponse(
                f"Yêu cầu quá lớn (tối đa {size_text(settings.MAX_REQUEST_BYTES)}). Hãy tải lên tệp nhỏ hơn.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        return response
