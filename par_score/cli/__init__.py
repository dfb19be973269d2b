"""The `par-score` command line (click). User errors end with exit code 2 and a Vietnamese message."""

from __future__ import annotations

import os
import sys

import click

from par_score._version import __version__
from par_score.cli import vietnamese
from par_score.errors import EngineError, ParScoreError, os_reason

vietnamese.install()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(
    __version__, prog_name="par-score", message="%(prog)s %(version)s", help="Hiện phiên bản và thoát."
)
def cli() -> None:
    """Tự đánh giá, chấm điểm Chỉ số cải cách hành chính (PAR INDEX) từ tài liệu kiểm chứng."""


def _register() -> None:
    from par_score.cli import (
        appraise,
        criteria,
        diff,
        explain,
        export,
        merge,
        plan,
        report,
        rerun,
        score,
        serve,
        template,
    )

    for module in (score, explain, criteria, report, rerun, appraise, diff, template, merge, export, plan, serve):
        cli.add_command(module.command)
    cli.add_command(serve.web_group)
    for command in (cli, *cli.commands.values(), *serve.web_group.commands.values()):
        command.options_metavar = "[TÙY CHỌN]"
    cli.subcommand_metavar = "LỆNH [ĐỐI SỐ]..."


_register()


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="par-score", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Đã hủy.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except ParScoreError as exc:
        click.echo(f"{exc.headline} ({len(exc.problems)} lỗi):", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem.render()}", err=True)
        sys.exit(exc.exit_code)
    except EngineError as exc:
        click.echo(f"Lỗi nội bộ của bộ máy chấm điểm: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:  # a file-system refusal not caught nearer its source: the user's to fix, never a traceback
        where = f" '{exc.filename}'" if exc.filename else ""
        click.echo(f"Lỗi: không đọc/ghi được tệp{where} ({os_reason(exc)}).", err=True)
        sys.exit(2)
    except Exception as exc:  # a defect: said in Vietnamese; the traceback only with PAR_SCORE_DEBUG=1
        if os.environ.get("PAR_SCORE_DEBUG"):
            raise
        click.echo(
            f"Lỗi nội bộ của par-score ({type(exc).__name__}). Đây là lỗi chương trình, không phải lỗi dữ liệu; "
            "chạy lại với biến môi trường PAR_SCORE_DEBUG=1 để xem chi tiết và gửi cho nhóm phát triển.",
            err=True,
        )
        sys.exit(1)
    sys.exit(0)
