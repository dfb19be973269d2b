from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "par_score.web.workspace"
    label = "workspace"
    verbose_name = "Không gian làm việc"
    default_auto_field = "django.db.models.BigAutoField"
