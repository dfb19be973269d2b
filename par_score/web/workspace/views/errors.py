"""Error pages in Vietnamese (never a traceback)."""

from django.shortcuts import render


def _error(request, status: int, title: str, text: str):
    return render(request, "workspace/error.html", {"status": status, "title": title, "text": text}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Yêu cầu không hợp lệ", "Máy chủ không hiểu yêu cầu này.")


def forbidden(request, exception=None):
    text = str(exception) if exception and str(exception) else "Bạn không có quyền dùng trang này."
    return _error(request, 403, "Không có quyền", text)


def not_found(request, exception=None):
    return _error(request, 404, "Không tìm thấy", "Trang hoặc dữ liệu này không có, hoặc bạn không được xem.")


def server_error(request):
    return _error(request, 500, "Lỗi máy chủ", "Máy chủ gặp lỗi khi xử lý yêu cầu. Hãy thử lại hoặc báo quản trị viên.")


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        "Phiên làm việc hết hạn",
        "Biểu mẫu đã cũ hoặc không hợp lệ (CSRF). Hãy tải lại trang rồi gửi lại.",
    )
