"""Where the workspace keeps its things, from the environment that `par-score serve` (or a test) sets up.

PAR_SCORE_DATA          the data folder (default ./par-score-data): database file, stored files, runs, secret key
PAR_SCORE_DATABASE_URL  postgresql://user:password@host:port/name (default: SQLite in the data folder)
PAR_SCORE_SECRET_KEY    the signing key (default: generated once into the data folder)
PAR_SCORE_ALLOWED_HOSTS host names the server answers to, comma-separated (set by `serve` from --host)
PAR_SCORE_HTTPS         "1" behind an HTTPS reverse proxy: secure cookies, trust X-Forwarded-Proto
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_DATA_DIR = "par-score-data"
SECRET_KEY_FILE = "khoa-bi-mat.txt"
LOG_KEY_FILE = "khoa-nhat-ky.txt"  # signs the change log's hashes (see workspace/chain.py); kept out of the database
STORE_DIR = "kho"  # content-addressed attached files: kho/files/<sha256>.<ext> (a bundle root: see records.py)
RUNS_DIR = "lan-cham"  # one folder per scoring run: the exported bundle and what write_run wrote


def data_dir() -> Path:
    folder = Path(os.environ.get("PAR_SCORE_DATA") or DEFAULT_DATA_DIR).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def secret_key(folder: Path) -> str:
    """The signing key: from the environment, else read from (or created once in) the data folder, owner-only."""
    given = os.environ.get("PAR_SCORE_SECRET_KEY")
    if given:
        return given
    path = folder / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    return _create_key(path)


def log_key(folder: Path) -> bytes:
    """The key that seals the change log: read from (or created once in) the data folder, owner-only. Backups carry
    it with the database; without it a restored log verifies its chain but not its seals."""
    path = folder / LOG_KEY_FILE
    try:
        return path.read_text(encoding="ascii").strip().encode("ascii")
    except FileNotFoundError:
        return _create_key(path).encode("ascii")


def _create_key(path: Path) -> str:
    """A new key written whole, then linked into place (never a half-written key file); if another process created
    one first, that one."""
    key = secrets.token_urlsafe(50)
    staged = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(key + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(staged, path)
        except FileExistsError:
            return path.read_text(encoding="ascii").strip()
    finally:
        staged.unlink(missing_ok=True)
    return key


def allowed_hosts() -> list[str]:
    given = os.environ.get("PAR_SCORE_ALLOWED_HOSTS", "")
    hosts = [h.strip() for h in given.split(",") if h.strip()]
    return hosts or ["localhost", "127.0.0.1", "[::1]"]


def behind_https() -> bool:
    return os.environ.get("PAR_SCORE_HTTPS") == "1"
