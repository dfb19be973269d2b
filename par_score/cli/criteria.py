"""`par-score criteria`: the catalogue as a tree with maxima."""

from __future__ import annotations

import click

from par_score.catalogue import load_catalogue
from par_score.cli.common import catalogue_option, echo
from par_score.outputs.terminal.tables import catalogue_tree


@click.command("criteria")
@catalogue_option
def command(catalogue_ref: str | None) -> None:
    """Liệt kê danh mục tiêu chí dạng cây, kèm điểm tối đa."""
    echo(catalogue_tree(load_catalogue(catalogue_ref)))
