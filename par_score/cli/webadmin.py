"""`par-score web verify`, `web backup` and `web restore`: the workspace's change log checked from the command line
(or an exported nhat-ky.jsonl, without the key), and the workspace backed up and restored as one archive.

Exit codes of `web verify`: 0 — intact; 1 — findings (an entry edited, deleted, reordered or rewritten without the
key, the database differing from the log, a stored file missing or altered); 2 — a user's error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from par_score.cli.common import echo
from par_score.cli.serve import data_option, database_option, setup, web_group
from par_score.errors import InputError, Problem

MAX_LOG_BYTES = 512 * 1024 * 1024
KIND_LABELS = {
    "edited": "mục bị sửa",
    "deleted": "mục bị xóa",
    "reordered": "mục bị đổi chỗ",
    "unsealed": "mục bị ghi đè không có khóa nhật ký",
    "head": "đầu chuỗi không khớp",
    "state": "cơ sở dữ liệu lệch nhật ký",
    "file": "tệp đính kèm",
}


def _finding_lines(findings) -> list[str]:
    return [f"    [{KIND_LABELS.get(f.kind, f.kind)}] {f.message}" for f in findings]


def _outcome(chains: int, findings: int) -> str:
    if not findings:
        return f"Kết luận: nguyên vẹn ({chains} nhật ký, không có phát hiện nào)."
    return (
        f"Kết luận: KHÔNG nguyên vẹn — {findings} phát hiện; nhật ký hoặc dữ liệu đã bị sửa ngoài không gian làm việc."
    )


@web_group.command("verify")
@data_option
@database_option
@click.option(
    "--log",
    "log_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="TỆP.jsonl",
    help="Kiểm tra một nhật ký đã xuất (nhat-ky.jsonl trong bộ tài liệu tải về) thay vì không gian làm việc: chỉ "
    "chuỗi băm, vì tệp xuất không kèm khóa nhật ký.",
)
def verify_command(data_dir: Path, database_url: str | None, log_file: Path | None) -> None:
    """Kiểm tra toàn vẹn nhật ký thay đổi của không gian làm việc.

    Kiểm tra mọi chuỗi nhật ký (mục bị sửa, bị xóa, bị đổi chỗ, bị ghi đè không có khóa nhật ký), đối chiếu cơ sở
    dữ liệu với lần ghi cuối của nhật ký và mã băm của tệp đính kèm. Mã thoát: 0 — nguyên vẹn; 1 — có phát hiện;
    2 — lỗi đầu vào.
    """
    if log_file is not None:
        _verify_export(log_file)
        return
    _, described = setup(data_dir, database_url)
    from django.conf import settings

    from par_score.web.workspace.integrity import verify_all

    echo(f"Kiểm tra không gian làm việc: thư mục dữ liệu {settings.DATA_DIR}; cơ sở dữ liệu: {described}")
    reports = verify_all()
    found = 0
    for report in reports:
        title = f"Nhật ký '{report.title}' ({report.chain}): {report.entries} mục"
        if report.intact:
            echo(f"- {title} — nguyên vẹn")
        else:
            echo(f"- {title} — {len(report.findings)} phát hiện:")
            echo("\n".join(_finding_lines(report.findings)))
        found += len(report.findings)
    echo(_outcome(len(reports), found))
    if found:
        sys.exit(1)


def _verify_export(path: Path) -> None:
    from par_score.io.readers import read_bytes_limited
    from par_score.web.workspace.chain import read_export, verify_chain

    raw = read_bytes_limited(path, MAX_LOG_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            Problem(f"không phải nhật ký: không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start})", file=str(path))
        ) from None
    try:
        chains = read_export(text.splitlines())
    except ValueError as exc:
        raise InputError(Problem(f"không phải nhật ký nhat-ky.jsonl hợp lệ: {exc}", file=str(path))) from None
    echo(f"Kiểm tra nhật ký đã xuất '{path}' (chuỗi băm; tệp xuất không kèm khóa nhật ký nên không kiểm tra chữ ký)")
    if not chains:
        echo("Tệp không có mục nhật ký nào.")
    found = 0
    for chain, entries in chains.items():
        findings = verify_chain(chain, entries)
        if findings:
            echo(f"- Chuỗi {chain}: {len(entries)} mục — {len(findings)} phát hiện:")
            echo("\n".join(_finding_lines(findings)))
        else:
            echo(f"- Chuỗi {chain}: {len(entries)} mục — nguyên vẹn")
        found += len(findings)
    echo(_outcome(len(chains), found))
    if found:
        sys.exit(1)


@web_group.command("backup")
@data_option
@database_option
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="TỆP.zip",
    help="Tệp sao lưu sẽ ghi.",
)
@click.option("--force", is_flag=True, help="Ghi đè tệp sao lưu đã có.")
def backup_command(data_dir: Path, database_url: str | None, out_file: Path, force: bool) -> None:
    """Sao lưu không gian làm việc vào một tệp: cơ sở dữ liệu, tệp đính kèm, các lần chấm và khóa nhật ký.

    Đọc cơ sở dữ liệu trong một lần chụp nhất quán (máy chủ có thể vẫn chạy); tệp sao lưu được ghi trọn vẹn hoặc
    không ghi gì. Tệp chứa khóa nhật ký và mã băm mật khẩu: hãy cất giữ cẩn thận.
    """
    _, described = setup(data_dir, database_url)
    from par_score.web.workspace.backup import MODEL_NAMES, write_backup

    summary = write_backup(out_file, force=force)
    for warning in summary.warnings:
        echo(f"Cảnh báo: {warning}", err=True)
    rows = ", ".join(f"{n} {MODEL_NAMES[label]}" for label, n in summary.rows.items() if n and label in MODEL_NAMES)
    echo(f"Đã sao lưu {described} và thư mục dữ liệu {Path(data_dir).resolve()}")
    echo(f"  {rows}; {summary.files} tệp (tệp đính kèm và các lần chấm); khóa nhật ký")
    echo(f"Tệp sao lưu: {out_file} ({summary.size:,} byte)".replace(",", "."))


@web_group.command("restore")
@click.argument("archive", metavar="TỆP-SAO-LƯU", type=click.Path(dir_okay=False, path_type=Path))
@data_option
@database_option
def restore_command(archive: Path, data_dir: Path, database_url: str | None) -> None:
    """Khôi phục không gian làm việc từ tệp sao lưu của `par-score web backup`.

    Chỉ khôi phục vào không gian làm việc trống (thư mục dữ liệu mới, cơ sở dữ liệu chưa có dữ liệu). Mọi thành phần
    được kiểm tra mã băm trước khi ghi; lỗi ở bất kỳ bước nào thì không có gì được ghi. Sau khi khôi phục, nhật ký
    thay đổi được kiểm tra như `par-score web verify`.
    """
    if not archive.is_file():
        raise InputError(Problem("không tìm thấy tệp sao lưu", file=str(archive)))
    from par_score.web.workspace.backup_archive import open_archive

    opened, _ = open_archive(archive)  # not a backup: refused before the workspace is set up
    opened.close()
    _, described = setup(data_dir, database_url)
    from par_score.web.workspace.backup import MODEL_NAMES, restore_backup
    from par_score.web.workspace.integrity import verify_all

    summary = restore_backup(archive)
    rows = ", ".join(f"{n} {MODEL_NAMES[label]}" for label, n in summary.rows.items() if n and label in MODEL_NAMES)
    echo(f"Đã khôi phục '{archive}' (par-score {summary.version}) vào {described}")
    echo(f"  {rows}; {summary.files} tệp (tệp đính kèm và các lần chấm); khóa nhật ký")
    reports = verify_all()
    found = sum(len(r.findings) for r in reports)
    if found:
        echo(f"Nhật ký sau khi khôi phục có {found} phát hiện (như bản gốc khi sao lưu); xem: par-score web verify")
    else:
        echo(f"Nhật ký thay đổi sau khi khôi phục: nguyên vẹn ({len(reports)} nhật ký).")
