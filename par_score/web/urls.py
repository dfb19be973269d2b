"""URLs of the workspace (Vietnamese paths, as the users read them)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from par_score.web.workspace.forms_auth import LoginForm

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="workspace/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(template_name="workspace/password_change.html"),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(template_name="workspace/password_change_done.html"),
        name="password_change_done",
    ),
    path("", include("par_score.web.workspace.urls")),
]

handler400 = "par_score.web.workspace.views.errors.bad_request"
handler403 = "par_score.web.workspace.views.errors.forbidden"
handler404 = "par_score.web.workspace.views.errors.not_found"
handler500 = "par_score.web.workspace.views.errors.server_error"
