"""The `par-score` command line (click). User errors end with exit code 2 and a Vietnamese message."""

from __future__ import annotations

import io
import os
import sys

import click

from par_score._version import __version__
from par_score.cli import console, vietnamese
from par_score.errors import EngineError, ParScoreError, os_reason
from par_score.outputs.terminal.safe import error_lines, terminal_text

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
        publish,
        report,
        rerun,
        score,
        serve,
        template,
        webadmin,
    )

    for module in (
        score,
        explain,
        criteria,
        report,
        rerun,
        appraise,
        diff,
        template,
        merge,
        export,
        plan,
        publish,
        serve,
    ):
        cli.add_command(module.command)
    cli.add_command(serve.web_group)
    assert webadmin.web_group is serve.web_group  # its commands are added to the `web` group on import
    for command in (cli, *cli.commands.values(), *serve.web_group.commands.values()):
        command.options_metavar = "[TÙY CHỌN]"
    cli.subcommand_metavar = "LỆNH [ĐỐI SỐ]..."


_register()


def _say(text: str) -> None:
    """Every message of main() goes to stderr through the terminal sanitiser."""
    click.echo(terminal_text(text), err=True)


def main(argv: list[str] | None = None) -> None:
    console.install()
    try:
        cli.main(args=argv, prog_name="par-score", standalone_mode=False)
    except click.exceptions.Abort:
        _say("Đã hủy.")
        sys.exit(130)
    except click.ClickException as exc:
        shown = io.StringIO()
        exc.show(file=shown)  # usage and the message, which quotes what was typed
        _say(shown.getvalue().rstrip("\n"))
        sys.exit(2)
    except ParScoreError as exc:
        for line in error_lines(exc.headline, (problem.render() for problem in exc.problems)):
            click.echo(line, err=True)
        sys.exit(exc.exit_code)
    except EngineError as exc:
        _say(f"Lỗi nội bộ của bộ máy chấm điểm: {exc}")
        sys.exit(1)
    except OSError as exc:  # a file-system refusal not caught nearer its source: the user's to fix, never a traceback
        where = f" '{exc.filename}'" if exc.filename else ""
        _say(f"Lỗi: không đọc/ghi được tệp{terminal_text(where, one_line=True)} ({os_reason(exc)}).")
        sys.exit(2)
    except Exception as exc:  # a defect: said in Vietnamese; the traceback only with PAR_SCORE_DEBUG=1
        if os.environ.get("PAR_SCORE_DEBUG"):
            raise
        _say(
            f"Lỗi nội bộ của par-score ({type(exc).__name__}). Đây là lỗi chương trình, không phải lỗi dữ liệu; "
            "chạy lại với biến môi trường PAR_SCORE_DEBUG=1 để xem chi tiết và gửi cho nhóm phát triển."
        )
        sys.exit(1)
    sys.exit(0)
