"""`par-score serve` as a user starts it, in a subprocess, on a free local port: for the tests that need the real
server (waitress) rather than Django's test client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli_env() -> dict[str, str]:
    """The environment of a `par-score` subprocess with a workspace of its own: not the tests' database or key."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PAR_SCORE_DATABASE_URL", None)
    env.pop("PAR_SCORE_SECRET_KEY", None)  # a server of its own: its key from (or into) its data folder
    return env


class Served:
    def __init__(self, data_dir: Path, database_url: str | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = cli_env()
        command = [sys.executable, "-m", "par_score", "serve", "--data", str(data_dir), "--port", str(self.port)]
        if database_url:
            command += ["--database", database_url]
        self.log = data_dir.parent / f"serve-{self.port}.log"
        self._log = self.log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"par-score serve stopped: {self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/dang-nhap/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"par-score serve did not answer within {timeout} s: {self.output()}")

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log.read_text(encoding="utf-8")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def database_url_of(connection) -> str:
    """The URL of the test database Django is using, for a server in another process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"]
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgresql://{user}{password}@{settings['HOST']}{port}/{settings['NAME']}"
