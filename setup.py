"""Build hook: ship the top-level data folders inside the wheel.

The repository keeps catalogues, evidence schemas/examples and report templates at the top level (criteria/,
evidence/, reports/) so that users can read and edit them as data. A non-editable install must still find them,
so build_py copies them into par_score/_bundled/ inside the built package.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py as _build_py

BUNDLED_DIRS = ("criteria", "evidence", "reports")


class build_py(_build_py):
    def run(self):
        super().run()
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "par_score" / "_bundled"
        shutil.rmtree(target, ignore_errors=True)  # never ship files deleted from the source tree
        for name in BUNDLED_DIRS:
            source = root / name
            if source.is_dir():
                shutil.copytree(
                    source,
                    target / name,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "out", ".*"),
                )


setup(cmdclass={"build_py": build_py})
