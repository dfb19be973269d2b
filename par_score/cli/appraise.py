"""`par-score appraise RESULT APPRAISAL`: apply an appraisal (thẩm định) file; write the final result."""

from __future__ import annotations

from pathlib import Path

import click

from par_score.audit.appraisal import APPRAISED_RESULT_FILE, appraise_files
from par_score.cli.common import echo, force_option, load_result
from par_score.io.atomic import folder_lock_if_switchable, prepare_dir, refuse_existing, write_text
from par_score.outputs.terminal.audit import appraisal_summary
from par_score.outputs.terminal.tables import score_table


@click.command("appraise")
@click.argument("result_file", metavar="RESULT", type=click.Path(path_type=Path))
@click.argument("appraisal_file", metavar="APPRAISAL", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Thư mục ghi kết quả sau thẩm định (mặc định: thư mục của RESULT).",
)
@force_option
def command(result_file: Path, appraisal_file: Path, out_dir: Path | None, force: bool) -> None:
    """Áp dụng tệp thẩm định APPRAISAL (YAML/JSON) cho kết quả tự đánh giá RESULT (ket-qua.json).

    Ghi ket-qua-tham-dinh.json: từng tiêu chí có điểm tự đánh giá, điểm thẩm định và điểm cuối cùng; điểm lĩnh vực
    và Chỉ số CCHC tính từ điểm cuối cùng (vòng 2 thay cho vòng 1). Định dạng tệp thẩm định: evidence/appraisal.md.
    """
    folder = out_dir if out_dir is not None else result_file.parent
    target = folder / APPRAISED_RESULT_FILE
    with folder_lock_if_switchable(folder):  # never while a run switches that folder
        refuse_existing([target], force)
        final = appraise_files(load_result(result_file), appraisal_file, result_file=result_file)
        prepare_dir(folder)
        write_text(target, final.to_json(), replace=force)
    echo(score_table(final))
    echo("")
    echo(appraisal_summary(final))
    echo(f"\nĐã ghi: {target}")
