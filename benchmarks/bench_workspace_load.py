"""The campaign workspace under load, on PostgreSQL, with the production server (issue #16, item 4).

python benchmarks/bench_workspace_load.py [--users 50] [--iterations 10] [--threads 8] [--think 0]
                                          [--database postgresql://…] [--no-fault] [--keep]

A script, not a test: it prints figures and compares them with the targets (0 errors, 0 lost writes, p95 of save +
preview under 300 ms, the whole province campaign scored in under 1 s). Its exit code is 1 when a consistency check
fails (a lost, duplicated or half-written save, a broken change log, a leftover staged file), never for a timing.

1. A throw-away PostgreSQL cluster (Debian's initdb/pg_ctl, a temporary folder, a free local port, as the `postgres`
   user when run as root; the settings are PostgreSQL's defaults, fsync on), or the database given by --database.
2. Setup through the workspace's own code (not measured): the campaign of the bundled Tây Ninh 2024 example, created
   and logged as the "new campaign" page does and imported with the import page's function; N agency accounts spread
   over the agencies that enter documents, each added and logged as the accounts page does; one document per account
   that the account will edit.
3. `par-score serve` (waitress) in a subprocess; every user logs in over HTTP (CSRF token, session cookie) on a
   keep-alive connection of its own, then, all together, does a fixed number of iterations of: save (even
   iterations: a new document with a unique id and an attached PDF of its own; odd ones: an edit of its document with
   the optimistic-lock version) and then the preview of its criterion (the page the save redirects to). A save is
   acknowledged when the server answers 302 to the criterion's page.
4. Verification in this process, from the database: every acknowledged save is there exactly once (a created
   document by its id, an edit as one 'update' entry of the record's change log, in the order they were made), no
   row the clients never sent, each record's version equal to its logged updates, the change log's chain, seals and
   states verify (par_score.web.workspace.integrity.verify_campaign), every stored file has the hash it is named by
   and no staged file is left; then the whole province campaign is scored as the workspace scores it
   (parts.campaign_parts + parts.score_parts: what the dashboard shows).
5. Fault run (skipped with --no-fault): the same load again, with the server killed (SIGKILL) once a share of the
   saves has been acknowledged, restarted on the same port while the users keep going (they reconnect, their
   sessions survive); a save whose answer never came is "unknown" (it may or may not have been committed); then the
   same verification: every save acknowledged before the kill present exactly once, unknown ones present at most
   once and whole, no staged file left in the stored-files folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "tai-khoan-do-tai-2024"
TARGET_P95_MS = 300.0
TARGET_SCORE_S = 1.0


# ---- PostgreSQL ------------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Postgres:
    """A throw-away cluster, as .ci/run starts one: initdb in a temporary folder, trust on 127.0.0.1, a free port."""

    def __init__(self, folder: Path):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not bins:
            raise SystemExit(
                "PostgreSQL not found under /usr/lib/postgresql (Debian package postgresql); or --database"
            )
        self.bin = bins[-1]
        self.folder = folder
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/par_score_load"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self.folder.mkdir(parents=True)
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        data = self.folder / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-o",
            options,
            "start",
        )
        self._run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "par_score_load"
        )

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")
        except subprocess.CalledProcessError:
            pass


# ---- the server ------------------------------------------------------------------------------------------------------
class Server:
    """`par-score serve` as an administrator starts it, in a subprocess; killed or stopped by its own process id."""

    def __init__(self, data_dir: Path, database_url: str, threads: int, log: Path):
        self.data_dir, self.database_url, self.threads, self.log = data_dir, database_url, threads, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.tmp = data_dir.parent / "server-tmp"  # the server's TMPDIR: where Django spools uploads
        self.tmp.mkdir(exist_ok=True)

    def start(self, timeout: float = 90) -> float:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env["PAR_SCORE_DATABASE_URL"] = self.database_url  # off the process list
        env["TMPDIR"] = str(self.tmp)
        env.pop("PAR_SCORE_SECRET_KEY", None)
        command = [
            sys.executable,
            "-m",
            "par_score",
            "serve",
            "--data",
            str(self.data_dir),
            "--port",
            str(self.port),
            "--threads",
            str(self.threads),
        ]
        started = time.perf_counter()
        with self.log.open("a", encoding="utf-8") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"par-score serve stopped:\n{self.log.read_text(encoding='utf-8')[-3000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/dang-nhap/")
                if connection.getresponse().status == 200:
                    connection.close()
                    return time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"par-score serve did not answer within {timeout} s")

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---- setup through the workspace's code ---------------------------------------------------------------------------
@dataclass
class Account:
    username: str
    agency: str
    part_id: int
    code: str  # the criterion its documents are evidence for
    topic: str
    edited_id: int  # the record it edits
    edited_key: str
    edited_data: dict


def configure(data_dir: Path, database_url: str) -> None:
    from par_score.web import server

    server.configure(data_dir, database_url, hosts=server.allowed_hosts_for("127.0.0.1"))
    server.migrate()


def setup_campaign(users: int, token: str):
    """The campaign with the bundled example imported, and `users` agency accounts; returns (campaign, accounts)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from par_score import api
    from par_score.io.resources import example_bundle
    from par_score.web.workspace.catalogues import campaign_catalogue, periods_of, topics_of
    from par_score.web.workspace.files import Upload
    from par_score.web.workspace.history import log_change, snapshot
    from par_score.web.workspace.importing import import_bundle
    from par_score.web.workspace.models import AgencyPart, Campaign, Membership
    from par_score.web.workspace.records import save_record

    people = get_user_model()
    admin = people.objects.create_superuser(f"quantri-{token}", password=PASSWORD, email="")
    index = api.load_catalogue()
    with transaction.atomic():  # as the "new campaign" page makes it (views/campaigns.py)
        campaign = Campaign.objects.create(
            name=f"Đo tải {token}",
            unit_code="tay-ninh",
            unit_name="Tỉnh Tây Ninh",
            unit_level="tinh",
            year=index.year,
            catalogue_id=index.id,
            deadline=timezone.now() + dt.timedelta(days=30),
            created_by=admin,
        )
        for position, agency in enumerate(index.agencies()):
            AgencyPart.objects.create(campaign=campaign, agency=agency, position=position)
        log_change(campaign, admin, "campaign", target=campaign, after=snapshot(campaign), note=index.id)
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work) / "tay-ninh-2024.zip"
        with zipfile.ZipFile(archive, "w") as out:
            folder = example_bundle()
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    out.write(path, f"tay-ninh-2024/{path.relative_to(folder).as_posix()}")
        import_bundle(admin, campaign, Upload(archive, archive.name, archive.stat().st_size))

    index = campaign_catalogue(campaign)
    slots = []  # (part, topic, leaf code) of every non-periodic document topic an agency enters
    for part in campaign.parts.order_by("position"):
        for topic, use in topics_of(index, part.agency).items():
            if not periods_of(use):
                slots.append((part, topic, use.code))
    by_agency: dict[str, list] = {}
    for slot in slots:
        by_agency.setdefault(slot[0].agency, []).append(slot)
    rotation = [s for group in zip(*[_cycle(v, users) for v in by_agency.values()], strict=True) for s in group]
    hashed = make_password(PASSWORD)  # one hash for every account: setup need not pay the hasher N times
    accounts = []
    for n in range(users):
        part, topic, code = rotation[n]
        username = f"cq{n + 1:02d}-{token}"
        with transaction.atomic():  # as the accounts page adds one (views/campaigns.py)
            user = people.objects.create(username=username, password=hashed)
            member = Membership.objects.create(campaign=campaign, user=user, role="agency", agency=part.agency)
            log_change(campaign, admin, "member", agency=member.agency, target=member, after=snapshot(member))
        key = f"sua-{username}"
        data = _document(key, f"Văn bản để sửa của {username}", topic, 0)
        saved = save_record(user, part, "documents", data)
        accounts.append(Account(username, part.agency, part.pk, code, topic, saved.record.pk, key, data))
    return campaign, accounts


def _cycle(items: list, n: int) -> list:
    return [items[i % len(items)] for i in range(n)]


def _document(key: str, title: str, topic: str, day: int) -> dict:
    return {
        "id": key,
        "kind": "ke_hoach",
        "number": f"{day % 900 + 1}/KH-{key[:40]}",
        "issuer": "UBND tỉnh Tây Ninh",
        "issue_date": (dt.date(2024, 1, 1) + dt.timedelta(days=day % 300)).isoformat(),
        "title": title,
        "topics": [topic],
    }


# ---- the users: HTTP only ------------------------------------------------------------------------------------------
class Unanswered(Exception):
    """The request was sent (or not) but no answer came: the server is down or the connection broke."""


class Browser:
    """One user's keep-alive connection with its cookies (session, CSRF), as a browser keeps them."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None):
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise Unanswered(type(exc).__name__) from None
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val in ("", '""') or "max-age=0" in value.lower():
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val.strip()
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response.getheader("Location", ""), data

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def post(self, path: str, fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]] = ()):
        fields = [("csrfmiddlewaretoken", self.cookies.get("csrftoken", "")), *fields]
        boundary = "----par-score-" + secrets.token_hex(12)
        chunks = []
        for name, value in fields:
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, filename, content in files:
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            )
            chunks.append(head.encode() + content + b"\r\n")
        chunks.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(chunks), f"multipart/form-data; boundary={boundary}")

    def login(self, username: str) -> None:
        self.request("GET", "/dang-nhap/")
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), "username": username, "password": PASSWORD}
        ).encode()
        status, location, _ = self.request("POST", "/dang-nhap/", body, "application/x-www-form-urlencoded")
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login of {username} failed: HTTP {status}")


@dataclass
class Save:
    """One save as the client saw it: `outcome` is 'ack' (302 to the criterion), 'refused' (any other answer) or
    'unknown' (no answer: the server went down)."""

    kind: str  # create | edit
    marker: str  # a created document's id, or the title an edit sets
    username: str
    outcome: str
    status: int = 0
    sent_at: float = 0.0


@dataclass
class Phase:
    name: str
    saves: list[Save] = field(default_factory=list)
    save_ms: list[float] = field(default_factory=list)
    preview_ms: list[float] = field(default_factory=list)
    pair_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acked(self) -> int:
        with self.lock:
            return sum(1 for s in self.saves if s.outcome == "ack")


def unique_pdf(marker: str, size: int) -> bytes:
    """A small PDF of its own (the store keeps one file per content: every upload is a new file to write)."""
    head = f"%PDF-1.4\n% par-score load benchmark {marker}\n".encode()
    filler = (marker.encode() + b" ") * (max(0, size - len(head)) // (len(marker) + 1) + 1)
    return head + filler[: max(0, size - len(head))] + b"\n%%EOF\n"


def document_fields(prefix: str, data: dict) -> list[tuple[str, str]]:
    day = dt.date.fromisoformat(data["issue_date"])
    fields = [
        (f"{prefix}-id", data["id"]),
        (f"{prefix}-kind", data["kind"]),
        (f"{prefix}-number", data["number"]),
        (f"{prefix}-issuer", data["issuer"]),
        (f"{prefix}-issue_date", day.strftime("%d/%m/%Y")),
        (f"{prefix}-title", data["title"]),
    ]
    return fields + [(f"{prefix}-topics", t) for t in data["topics"]]


VERSION = re.compile(rb'name="version" value="(\d+)"')


class User(threading.Thread):
    def __init__(self, account: Account, campaign_id: int, server: Server, phase: Phase, args, start):
        super().__init__(name=account.username, daemon=True)
        self.account, self.campaign_id, self.server, self.phase, self.args = account, campaign_id, server, phase, args
        self.start_barrier = start
        self.browser = Browser(server.port)
        self.version = 0
        self.random = random.Random(f"{args.seed}-{account.username}-{phase.name}")

    def criterion_path(self) -> str:
        a = self.account
        return f"/chien-dich/{self.campaign_id}/co-quan/{a.part_id}/tieu-chi/{a.code}/"

    def record_path(self) -> str:
        return f"/chien-dich/{self.campaign_id}/ban-ghi/{self.account.edited_id}/"

    def refresh_version(self) -> None:
        """The edited record's current version, as its page shows it (after a conflict or an unanswered edit)."""
        status, _, body = self.browser.request("GET", self.record_path())
        found = VERSION.search(body) if status == 200 else None
        if found:
            self.version = int(found.group(1))

    def wait_for_server(self, limit: float = 180) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                self.refresh_version()
                return
            except Unanswered:
                time.sleep(0.2)
        raise SystemExit(f"{self.account.username}: the server did not come back within {limit} s")

    def run(self) -> None:
        try:
            self.browser.login(self.account.username)
            self.refresh_version()
        finally:
            self.start_barrier.wait()
        if self.args.think:  # users arrive spread over one think time, not all in the same instant
            time.sleep(self.random.uniform(0, self.args.think))
        for i in range(self.args.iterations):
            try:
                self.iteration(i)
            except Unanswered:
                self.wait_for_server()
            if self.args.think:
                time.sleep(self.random.uniform(0.5, 1.5) * self.args.think)
        self.browser.close()

    def iteration(self, i: int) -> None:
        a, phase = self.account, self.phase
        tag = f"{phase.name}-{a.username}-{i:03d}"
        if i % 2 == 0:
            kind, marker = "create", f"tl-{tag}"
            data = _document(marker, f"Kế hoạch thử tải {tag}", a.topic, i + 1)
            path = self.criterion_path() + "them/documents/"
            fields = [*document_fields("documents", data), ("tieu_chi", a.code)]
            files = [("documents-file", f"{marker}.pdf", unique_pdf(marker, self.args.file_kb * 1024))]
        else:
            kind, marker = "edit", f"Sửa lần {tag}"
            data = {**a.edited_data, "title": marker}
            path = self.record_path()
            fields = [*document_fields("documents", data), ("version", str(self.version)), ("tieu_chi", a.code)]
            files = []
        save = Save(kind, marker, a.username, "unknown", sent_at=time.monotonic())
        with phase.lock:
            phase.saves.append(save)
        started = time.perf_counter()
        try:
            status, location, _ = self.browser.post(path, fields, files)
        except Unanswered as exc:
            with phase.lock:
                phase.requests += 1
                phase.errors.append(f"{kind} {marker}: no answer ({exc})")
            raise
        saved = time.perf_counter()
        save.status = status
        save.outcome = "ack" if status == 302 and "/tieu-chi/" in location else "refused"
        with phase.lock:
            phase.requests += 1
            phase.save_ms.append((saved - started) * 1000)
            if save.outcome != "ack":
                phase.errors.append(f"{kind} {marker}: HTTP {status} {location}")
        if kind == "edit":
            if save.outcome == "ack":
                self.version += 1
            else:
                self.refresh_version()
        try:
            status, _, body = self.browser.request("GET", self.criterion_path())
        except Unanswered as exc:
            with phase.lock:
                phase.requests += 1
                phase.errors.append(f"preview {a.code} of {a.username}: no answer ({exc})")
            raise
        done = time.perf_counter()
        with phase.lock:
            phase.requests += 1
            phase.preview_ms.append((done - saved) * 1000)
            phase.pair_ms.append((done - started) * 1000)
            if status != 200 or "Bản ghi đã nhập".encode() not in body:
                phase.errors.append(f"preview {a.code} of {a.username}: HTTP {status}")


def run_load(accounts, campaign_id: int, server: Server, phase: Phase, args, on_start=None) -> None:
    barrier = threading.Barrier(len(accounts) + 1)
    users = [User(a, campaign_id, server, phase, args, barrier) for a in accounts]
    for user in users:
        user.start()
    barrier.wait()  # every user logged in: the measured traffic starts now
    started = time.perf_counter()
    if on_start is not None:
        on_start()
    for user in users:
        user.join()
    phase.seconds = time.perf_counter() - started


# ---- verification ------------------------------------------------------------------------------------------------
@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


def verify(campaign, accounts: list[Account], phases: list[Phase], store: Path) -> tuple[list[Check], dict]:
    from django.db import close_old_connections

    from par_score.web.workspace.files import sha256_of
    from par_score.web.workspace.integrity import verify_campaign, verify_workspace_chain
    from par_score.web.workspace.models import Change, Record, StoredFile

    close_old_connections()
    checks: list[Check] = []
    counts = {"ack": 0, "unknown": 0, "unknown_landed": 0, "refused": 0}
    saves = [s for p in phases for s in p.saves]
    for s in saves:
        counts[s.outcome] += 1

    # created documents: by their unique id
    created = {s.marker: s for s in saves if s.kind == "create"}
    rows: dict[str, int] = {}
    for key in Record.objects.filter(campaign=campaign, section="documents", key__startswith="tl-").values_list(
        "key", flat=True
    ):
        rows[key] = rows.get(key, 0) + 1
    logged: dict[str, int] = {}
    for key in Change.objects.filter(campaign=campaign, action="create", key__startswith="tl-").values_list(
        "key", flat=True
    ):
        logged[key] = logged.get(key, 0) + 1
    lost = [m for m, s in created.items() if s.outcome == "ack" and rows.get(m, 0) != 1]
    duplicated = [m for m, n in rows.items() if n > 1] + [m for m, n in logged.items() if n > 1]
    phantom = [m for m in rows if m not in created or created[m].outcome == "refused"]
    unlogged = [m for m in rows if logged.get(m, 0) != 1]
    counts["unknown_landed"] += sum(1 for m, s in created.items() if s.outcome == "unknown" and rows.get(m))
    half = []
    for record in Record.objects.filter(campaign=campaign, key__in=list(rows)):
        s = created[record.key]
        attached = record.data.get("file") or {}
        if not record.data.get("title", "").endswith(s.marker[3:]) or not attached.get("sha256"):
            half.append(record.key)
    checks.append(Check("every acknowledged new document in the database once", not lost, _few(lost)))
    checks.append(Check("no document stored or logged twice", not duplicated, _few(duplicated)))
    checks.append(Check("no document the clients did not save", not phantom, _few(phantom)))
    checks.append(Check("every stored document logged once (create)", not unlogged, _few(unlogged)))
    checks.append(Check("every stored document whole (title, attached file)", not half, _few(half)))

    # edits: each acknowledged edit is one 'update' entry of its record, in the order the user made them
    missing, doubled, strays, versions = [], [], [], []
    for account in accounts:
        record = Record.objects.get(pk=account.edited_id)
        titles = [
            (c.after or {}).get("title")
            for c in Change.objects.filter(record_id=account.edited_id, action="update").order_by("seq")
        ]
        mine = [s for s in saves if s.kind == "edit" and s.username == account.username]
        sent = {s.marker: s for s in mine}
        for s in mine:
            n = titles.count(s.marker)
            if s.outcome == "ack" and n != 1:
                missing.append(s.marker)
            if n > 1:
                doubled.append(s.marker)
            if s.outcome == "unknown" and n == 1:
                counts["unknown_landed"] += 1
        strays += [t for t in titles if t not in sent or sent[t].outcome == "refused"]
        acked_order = [s.marker for s in mine if s.outcome == "ack"]
        if [t for t in titles if t in acked_order] != acked_order:
            missing.append(f"{account.username}: order")
        if record.version != len(titles) + 1 or (titles and record.data.get("title") != titles[-1]):
            versions.append(f"{account.username}: version {record.version}, {len(titles)} updates")
    counts["lost"] = len(lost) + len([m for m in missing if not m.endswith(": order")])
    checks.append(Check("every acknowledged edit logged once, in order (no lost update)", not missing, _few(missing)))
    checks.append(Check("no edit applied twice", not doubled, _few(doubled)))
    checks.append(Check("no edit the clients did not make", not strays, _few(strays)))
    checks.append(
        Check("each edited record: version = logged updates + 1, data = last update", not versions, _few(versions))
    )

    report = verify_campaign(campaign)
    workspace = verify_workspace_chain()
    findings = [f.message for f in [*report.findings, *workspace.findings]]
    checks.append(
        Check(
            f"change log verifies (chain, seals, states, files; {report.entries} entries)", not findings, _few(findings)
        )
    )

    files_dir = store / "files"
    staged = sorted(p.name for p in files_dir.iterdir() if p.name.startswith(".")) if files_dir.is_dir() else []
    wrong = []
    named = set()
    for path in sorted(files_dir.iterdir()) if files_dir.is_dir() else []:
        if path.name.startswith("."):
            continue
        named.add(path.name)
        if sha256_of(path) != path.name.split(".", 1)[0]:
            wrong.append(path.name)
    rows_without_file = [s.relative_path for s in StoredFile.objects.all() if Path(s.relative_path).name not in named]
    checks.append(Check("no staged (half-written) file left in the stored-files folder", not staged, _few(staged)))
    checks.append(Check("every stored file has the hash it is named by", not wrong, _few(wrong)))
    checks.append(Check("every stored-file row has its file", not rows_without_file, _few(rows_without_file)))
    cited = set(Record.objects.exclude(file_sha256="").values_list("file_sha256", flat=True))
    orphans = sum(1 for name in named if name.split(".", 1)[0] not in cited)
    return checks, {**counts, "orphan_files": orphans, "stored_files": len(named)}


def _few(items: list, n: int = 5) -> str:
    if not items:
        return ""
    shown = "; ".join(str(i) for i in items[:n])
    return f"{len(items)}: {shown}" + (" …" if len(items) > n else "")


def score_campaign(campaign, repeat: int = 5) -> list[float]:
    """The whole province campaign as the workspace scores it (the dashboard's total), from the database each time."""
    from par_score.web.workspace.parts import campaign_parts, score_parts

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        scored = score_parts(campaign, campaign_parts(campaign))
        times.append(time.perf_counter() - started)
        if scored.result is None:
            raise SystemExit("the campaign does not score: " + "; ".join(p.render() for p in scored.problems))
    return times


# ---- figures ---------------------------------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]  # nearest rank


def print_phase(phase: Phase) -> None:
    rate = phase.requests / phase.seconds
    pairs = len(phase.pair_ms) / phase.seconds
    print(
        f"\n[{phase.name}] {phase.requests} requests in {phase.seconds:.1f} s: {rate:.1f} req/s, "
        f"{pairs:.1f} save+preview/s"
    )
    for label, values in (("save+preview", phase.pair_ms), ("save", phase.save_ms), ("preview", phase.preview_ms)):
        if values:
            print(
                f"  {label:<13} p50 {pct(values, 50):7.0f} ms   p95 {pct(values, 95):7.0f} ms   "
                f"p99 {pct(values, 99):7.0f} ms   max {max(values):7.0f} ms   (n={len(values)})"
            )
    outcomes = {o: sum(1 for s in phase.saves if s.outcome == o) for o in ("ack", "refused", "unknown")}
    print(f"  saves: {outcomes['ack']} acknowledged, {outcomes['refused']} refused, {outcomes['unknown']} unanswered")
    print(f"  errors: {len(phase.errors)}" + (f" — {_few(phase.errors, 3)}" if phase.errors else ""))


def cpu_seconds(pid: int, *, ended_children: bool = False) -> float:
    """User + system CPU seconds of a process (0 when it is gone), with those of its ended children if asked."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if ended_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_cpu(postgres: Postgres | None) -> float:
    """CPU seconds of the cluster's processes (the postmaster, its backends, those that ended); NaN for a given
    database."""
    if postgres is None:
        return float("nan")
    try:
        master = int((postgres.folder / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")
    total = cpu_seconds(master, ended_children=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == master:
                total += cpu_seconds(int(entry.name))
    return total


def load_average() -> str:
    try:
        one, five, fifteen, running, *_ = Path("/proc/loadavg").read_text().split()
        return f"{one} {five} {fifteen} (runnable/total tasks {running})"
    except OSError:
        return "unknown"


def running_tasks(samples: int = 10) -> float:
    """Tasks running or waiting for a CPU, averaged over a second (the first of /proc/loadavg's fourth field)."""
    counts = []
    for _ in range(samples):
        try:
            counts.append(int(Path("/proc/loadavg").read_text().split()[3].split("/")[0]))
        except (OSError, IndexError, ValueError):
            return float("nan")
        time.sleep(1 / samples)
    return statistics.mean(counts)


def other_pythons() -> int:
    """Python processes not started by this script (other people's tests and servers on the machine)."""
    ours = {os.getpid()}
    found = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in ours:
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        if b"python" in Path(command.decode(errors="replace")).name.encode():
            found += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--iterations", type=int, default=10, help="save + preview per user and phase")
    parser.add_argument("--threads", type=int, default=8, help="the server's threads (par-score serve --threads)")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause between a user's iterations (s); users then start spread"
    )
    parser.add_argument("--file-kb", type=int, default=32, help="size of each attached PDF")
    parser.add_argument("--kill-at", type=float, default=0.4, help="fault run: kill when this share of saves is acked")
    parser.add_argument("--database", help="a PostgreSQL URL to use instead of a throw-away cluster")
    parser.add_argument("--no-fault", action="store_true", help="skip the fault run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server log, data)")
    parser.add_argument("--seed", default="16")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="par-score-load-"))
    work.chmod(0o711)  # the postgres user goes through it to its cluster
    postgres = None
    server = None
    try:
        print(
            f"machine: {os.cpu_count()} cores; load average before: {load_average()}; running tasks now: "
            f"{running_tasks():.1f}; other Python processes: {other_pythons()}"
        )
        if args.database:
            url = args.database
        else:
            postgres = Postgres(work / "pg")
            postgres.start()
            url = postgres.url
        data_dir = work / "data"
        configure(data_dir, url)
        token = secrets.token_hex(3)
        started = time.perf_counter()
        campaign, accounts = setup_campaign(args.users, token)
        agencies = sorted({a.agency for a in accounts})
        print(f"database: PostgreSQL {'(given)' if args.database else f'throw-away cluster, {postgres.bin}'}")
        print(
            f"setup: campaign '{campaign.name}' (Tây Ninh 2024 example imported), {len(accounts)} agency accounts "
            f"over {len(agencies)} agencies, in {time.perf_counter() - started:.1f} s (not measured)"
        )
        server = Server(data_dir, url, args.threads, work / "serve.log")
        print(f"server: par-score serve (waitress, {args.threads} threads) up in {server.start():.1f} s")
        print(
            f"load: {args.users} users × {args.iterations} iterations of save (new document with a {args.file_kb} KB"
            f" PDF / edit with version) + preview of the criterion; think time {args.think} s"
        )

        phases = [Phase("tai")]

        def cpu_now() -> tuple[float, float, float]:
            return cpu_seconds(server.process.pid), postgres_cpu(postgres), sum(os.times()[:2])

        cpu_start: list[tuple[float, float, float]] = []  # taken once every user has logged in
        run_load(accounts, campaign.pk, server, phases[0], args, lambda: cpu_start.append(cpu_now()))
        cpu = [after - before for after, before in zip(cpu_now(), cpu_start[0], strict=True)]
        print_phase(phases[0])
        pairs = len(phases[0].pair_ms) or 1
        print(
            f"  CPU during the load: server {cpu[0]:.1f} s ({cpu[0] / phases[0].seconds:.2f} of a core; "
            f"{cpu[0] / pairs * 1000:.0f} ms per save+preview), PostgreSQL {cpu[1]:.1f} s, clients {cpu[2]:.1f} s; "
            f"wall {phases[0].seconds:.1f} s on {os.cpu_count()} cores"
        )
        print(f"  load average after: {load_average()}")
        checks, counts = verify(campaign, accounts, phases, data_dir / "kho")
        score_times = score_campaign(campaign)

        fault = None
        if not args.no_fault:
            fault = Phase("loi")
            planned = args.users * args.iterations
            killed = {}
            finished = threading.Event()

            def killer():
                while fault.acked() < args.kill_at * planned:
                    if finished.is_set():
                        return
                    time.sleep(0.02)
                with fault.lock:
                    killed["acked"] = sum(1 for s in fault.saves if s.outcome == "ack")
                    killed["in_flight"] = sum(1 for s in fault.saves if s.outcome == "unknown")
                server.kill()
                killed["at"] = time.monotonic()
                killed["restart"] = server.start()

            def on_start():
                threading.Thread(target=killer, daemon=True).start()

            run_load(accounts, campaign.pk, server, fault, args, on_start)
            finished.set()
            phases.append(fault)
            print_phase(fault)
            print(
                f"  server killed (SIGKILL) after {killed.get('acked')} acknowledged saves with "
                f"{killed.get('in_flight')} in flight; restarted in {killed.get('restart', 0):.1f} s"
            )
            before_kill = [s for s in fault.saves if s.outcome == "ack" and s.sent_at < killed.get("at", 0)]
            fault_checks, fault_counts = verify(campaign, accounts, phases, data_dir / "kho")
            checks = [Check("the server was killed during the load and restarted", "restart" in killed), *fault_checks]
            counts = fault_counts
            print(
                f"  saves acknowledged before the kill: {len(before_kill)}; unknown (no answer): "
                f"{sum(1 for s in fault.saves if s.outcome == 'unknown')}, of which committed: "
                f"{counts['unknown_landed']}"
            )
        leftovers = sorted(p.name for p in server.tmp.iterdir())
        print(
            f"  upload spool files left in the server's TMPDIR (outside the store; the OS cleans /tmp): "
            f"{len(leftovers)}"
        )
        tracebacks = server.log.read_text(encoding="utf-8").count("Traceback")

        print("\nconsistency (all phases, from the database):")
        for check in checks:
            print(f"  [{'ok' if check.ok else 'FAIL'}] {check.name}" + (f" — {check.detail}" if check.detail else ""))
        print(
            f"  stored files: {counts['stored_files']} (not cited by any record: {counts['orphan_files']}); "
            f"server tracebacks in its log: {tracebacks}"
        )

        main_phase = phases[0]
        p95 = pct(main_phase.pair_ms, 95)
        lost = counts["lost"]
        print("\nsummary (targets of issue #16 on the 2-core machine):")
        rows = [
            ("errors (load run)", f"{len(main_phase.errors)}", "0", not main_phase.errors),
            ("lost writes (all runs)", f"{lost}", "0", lost == 0),
            ("p95 save+preview", f"{p95:.0f} ms", f"< {TARGET_P95_MS:.0f} ms", p95 < TARGET_P95_MS),
            (
                "p50 / p99 save+preview",
                f"{pct(main_phase.pair_ms, 50):.0f} / {pct(main_phase.pair_ms, 99):.0f} ms",
                "",
                True,
            ),
            ("throughput", f"{main_phase.requests / main_phase.seconds:.1f} req/s", "", True),
            (
                "campaign scored",
                f"{min(score_times):.3f} s (median {statistics.median(score_times):.3f} s)",
                f"< {TARGET_SCORE_S:.0f} s",
                min(score_times) < TARGET_SCORE_S,
            ),
        ]
        if fault is not None:
            rows.append(("fault run: errors", f"{len(fault.errors)} (server down)", "", True))
        rows.append(
            ("consistency checks", f"{sum(c.ok for c in checks)}/{len(checks)} pass", "all", all(c.ok for c in checks))
        )
        for label, value, target, met in rows:
            mark = "" if not target else ("met" if met else "NOT MET")
            print(f"  {label:<26} {value:<34} {target:<10} {mark}")
        print(f"load average at the end: {load_average()}")
        return 0 if all(c.ok for c in checks) else 1
    finally:
        if server is not None:
            server.stop()
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if postgres is not None:
            postgres.stop()
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
