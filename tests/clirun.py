"""Run the real `par-score` entry point (par_score.cli.main) in-process or as a subprocess, for CLI tests."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from par_score.cli import main

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Ran:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_main(*args: str) -> Ran:
    """par_score.cli.main(argv) with its stdout/stderr captured and its SystemExit turned into an exit code.

    Any other exception escapes, and fails the test: main() must turn every error into a message and a code.
    """
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Ran(code, out.getvalue(), err.getvalue())


def run_process(*args: str, timeout: float = 120) -> Ran:
    """`python -m par_score ARGS` in a fresh process (what a user runs)."""
    env = dict(os.environ)
    env.pop("PAR_SCORE_DEBUG", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-m", "par_score", *args], capture_output=True, text=True, cwd=ROOT, timeout=timeout, env=env
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
