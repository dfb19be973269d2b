"""Start the workspace: configure Django for a data folder and a database, migrate, serve with waitress.

Everything `par-score serve` and `par-score web …` do before the first request lives here, so that tests and the CLI
set the workspace up the same way.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

DEFAULT_THREADS = 8
YOUNG_COLLECTION_THRESHOLD = 10_000  # allocations between collections of the youngest generation (Python's: 700)


def configure(data_dir: Path | str | None = None, database_url: str | None = None, *, hosts: list[str] | None = None):
    """Point Django at the data folder and database (environment, before django.setup()) and set it up."""
    if data_dir is not None:
        os.environ["PAR_SCORE_DATA"] = str(Path(data_dir).resolve())
    if database_url:
        os.environ["PAR_SCORE_DATABASE_URL"] = database_url
    if hosts:
        os.environ["PAR_SCORE_ALLOWED_HOSTS"] = ",".join(hosts)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "par_score.web.settings")
    import django

    django.setup()
    from django.conf import settings

    return settings


def migrate() -> None:
    """Create or update the database's tables (nothing happens when they are current)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def has_administrator() -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True, is_active=True).exists()


def create_administrator(username: str, password: str, full_name: str = "") -> None:
    """A Sở Nội vụ administrator; ValueError (Vietnamese) when the name is taken or the password too weak."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    users = get_user_model()
    if users.objects.filter(username=username).exists():
        raise ValueError(f"tên đăng nhập '{username}' đã có")
    candidate = users(username=username, first_name=full_name)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise ValueError("mật khẩu chưa đạt: " + " ".join(exc.messages)) from None
    from django.db import transaction

    from par_score.web.workspace.history import log_change

    with transaction.atomic():
        users.objects.create_superuser(username=username, password=password, first_name=full_name, email="")
        log_change(
            None,
            None,
            "admin",
            key=username,
            after={"username": username, "full_name": full_name, "role": "admin"},
            note="tạo quản trị viên bằng lệnh par-score web create-admin",
        )


def allowed_hosts_for(host: str) -> list[str]:
    if host in ("0.0.0.0", "::", ""):
        return ["*"]  # listening on every address: the server answers to whatever name it is reached by
    return list(dict.fromkeys([host, "localhost", "127.0.0.1", "[::1]"]))


def tune_collector() -> None:
    """For a long-running server: what is loaded before the first request (Django, the workspace's code) is left out
    of the cyclic collector's scans, and the young generation is collected less often. With Python's defaults a save
    and its preview paid about a fifth of their CPU time for collections that scanned the whole heap."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


def serve(host: str, port: int, *, threads: int = DEFAULT_THREADS) -> None:
    from django.conf import settings
    from waitress import serve as waitress_serve

    from par_score.web.wsgi import application

    tune_collector()
    waitress_serve(
        application,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=settings.MAX_REQUEST_BYTES,
        ident="par-score",
        _quiet=False,
    )
