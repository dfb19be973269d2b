"""`par-score serve`: the campaign workspace in a browser (Django on waitress; SQLite or PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import click

from par_score.errors import ParScoreError, Problem

data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("par-score-data"),
    show_default=True,
    help="Thư mục dữ liệu: cơ sở dữ liệu SQLite, tệp đính kèm, các lần chấm, khóa bí mật.",
)
database_option = click.option(
    "--database",
    "database_url",
    metavar="URL",
    envvar="PAR_SCORE_DATABASE_URL",
    default=None,
    help="PostgreSQL: postgresql://người-dùng:mật-khẩu@máy:cổng/tên-csdl (mặc định: SQLite trong thư mục dữ liệu).",
)


class WorkspaceError(ParScoreError):
    headline = "Lỗi: không khởi động được không gian làm việc"


def setup(data_dir: Path, database_url: str | None, hosts: list[str] | None = None):
    """Configure and migrate; a wrong URL or an unreachable database is a user's error (exit 2), in Vietnamese."""
    from par_score.web.database import DatabaseUrlError, database_settings, describe

    try:
        described = describe(database_settings(database_url, Path(data_dir).resolve()))
    except DatabaseUrlError as exc:
        raise WorkspaceError(Problem(str(exc), field="--database")) from None
    try:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(Problem(f"không tạo được thư mục dữ liệu ({exc.strerror})", file=str(data_dir))) from None
    from par_score.web import server

    settings = server.configure(data_dir, database_url, hosts=hosts)
    from django.db.utils import OperationalError

    try:
        server.migrate()
    except OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WorkspaceError(
            Problem(f"không kết nối hoặc không cập nhật được cơ sở dữ liệu ({described}): {reason}", field="--database")
        ) from None
    return settings, described


@click.command("serve")
@data_option
@database_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe (0.0.0.0: mọi địa chỉ).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Cổng lắng nghe.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Số luồng xử lý yêu cầu.")
def command(data_dir: Path, database_url: str | None, host: str, port: int, threads: int) -> None:
    """Chạy không gian làm việc của chiến dịch tự đánh giá trên trình duyệt.

    Lần chạy đầu tạo thư mục dữ liệu và cơ sở dữ liệu (SQLite trong thư mục dữ liệu, hoặc PostgreSQL với
    --database). Máy chủ là waitress (dùng được cho vận hành thật); dừng bằng Ctrl+C.
    """
    from par_score.web import server

    settings, described = setup(data_dir, database_url, server.allowed_hosts_for(host))
    click.echo(f"Thư mục dữ liệu: {settings.DATA_DIR}")
    click.echo(f"Cơ sở dữ liệu: {described}")
    click.echo(f"Tệp đính kèm: {settings.STORE_DIR}; các lần chấm: {settings.RUNS_DIR}")
    if not server.has_administrator():
        database = f" --database {database_url!r}" if database_url else ""
        click.echo(
            "Chưa có tài khoản quản trị viên. Tạo tài khoản quản trị viên đầu tiên (Sở Nội vụ) bằng lệnh:\n"
            f"  par-score web create-admin TÊN-ĐĂNG-NHẬP --data {str(data_dir)!r}{database}"
        )
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Không gian làm việc: http://{shown}:{port}/  (Ctrl+C để dừng)", nl=True)
    server.serve(host, port, threads=threads)


@click.group("web")
def web_group() -> None:
    """Quản trị không gian làm việc: tài khoản quản trị viên, cơ sở dữ liệu, kiểm tra nhật ký, sao lưu, khôi phục."""


@web_group.command("create-admin")
@click.argument("username", metavar="TÊN-ĐĂNG-NHẬP")
@data_option
@database_option
@click.option("--full-name", default="", help="Họ và tên.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Đọc mật khẩu từ dòng đầu của đầu vào chuẩn (cho kịch bản) thay vì hỏi.",
)
def create_admin(username: str, data_dir: Path, database_url: str | None, full_name: str, password_stdin: bool) -> None:
    """Tạo tài khoản quản trị viên Sở Nội vụ (tạo mọi chiến dịch, cấp tài khoản, mở lại, chấm điểm)."""
    import sys

    setup(data_dir, database_url)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")
    from par_score.web import server

    try:
        server.create_administrator(username, password, full_name)
    except ValueError as exc:
        raise WorkspaceError(Problem(str(exc))) from None
    click.echo(f"Đã tạo quản trị viên '{username}'. Chạy: par-score serve --data {str(data_dir)!r}")


@web_group.command("migrate")
@data_option
@database_option
def migrate_command(data_dir: Path, database_url: str | None) -> None:
    """Tạo hoặc cập nhật bảng của cơ sở dữ liệu (serve cũng làm việc này khi khởi động)."""
    _, described = setup(data_dir, database_url)
    click.echo(f"Cơ sở dữ liệu đã cập nhật: {described}")
