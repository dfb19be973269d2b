"""The workspace's database: an SQLite file in the data folder by default, or a PostgreSQL server given by URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

SQLITE_FILE = "par-score.sqlite3"
POSTGRES_SCHEMES = ("postgresql", "postgres")


class DatabaseUrlError(ValueError):
    """A database URL that cannot be used; the message is Vietnamese and says what is expected."""


def database_settings(url: str | None, data_dir: Path) -> dict:
    """Django's DATABASES["default"] for `url` (None: the SQLite file in `data_dir`)."""
    if not url:
        return sqlite_settings(data_dir / SQLITE_FILE, data_dir)
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc or not path:
            raise DatabaseUrlError("URL SQLite phải có dạng sqlite:///đường/dẫn/tệp.sqlite3")
        return sqlite_settings(Path(path), data_dir)
    if parts.scheme not in POSTGRES_SCHEMES:
        raise DatabaseUrlError(
            f"không hỗ trợ cơ sở dữ liệu '{parts.scheme or url}'; dùng "
            "postgresql://người-dùng:mật-khẩu@máy:cổng/tên-csdl hoặc bỏ trống để dùng SQLite trong thư mục dữ liệu"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise DatabaseUrlError("URL PostgreSQL thiếu tên cơ sở dữ liệu: postgresql://người-dùng@máy:cổng/tên-csdl")
    try:
        port = parts.port
    except ValueError:
        raise DatabaseUrlError("cổng trong URL PostgreSQL không hợp lệ") from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def sqlite_settings(path: Path, data_dir: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # IMMEDIATE: a writing transaction takes the write lock at its start, so two saves queue instead of failing
        # half-way with "database is locked"; WAL lets readers go on while one writes.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
        "TEST": {"NAME": str(data_dir / "test-par-score.sqlite3")},
    }


def describe(settings: dict) -> str:
    """The database for a person: the SQLite file, or the PostgreSQL server without its password."""
    if settings["ENGINE"].endswith("sqlite3"):
        return f"SQLite, tệp {settings['NAME']}"
    where = settings["HOST"] or "socket cục bộ"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"PostgreSQL, cơ sở dữ liệu '{settings['NAME']}' tại {where}{port}"
