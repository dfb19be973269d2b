"""sha256 of a file, streamed (attached documents can be large)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from par_score.io.files import open_regular


def sha256_file(path: Path) -> str:
    """Hex sha256 of a regular file's bytes; OSError when it cannot be read (NotRegularFile for a device, FIFO…)."""
    digest = hashlib.sha256()
    with os.fdopen(open_regular(path), "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
