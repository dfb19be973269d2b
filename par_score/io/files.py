"""Opening input files safely: regular files only, never blocking on a FIFO, never reading a device."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from par_score.errors import NotRegularFile


def open_regular(path: Path) -> int:
    """A read-only descriptor of `path`; NotRegularFile (an OSError) unless it is a regular file.

    Opened without blocking, so that a FIFO never hangs the run, and checked with fstat on the descriptor itself (no
    window between the check and the read): a device (/dev/zero), a FIFO, a socket or a folder is refused, whatever
    symlink led to it.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(str(path), folder=stat.S_ISDIR(mode))
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor
