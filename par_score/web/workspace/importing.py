"""Evidence into a campaign: an agency's workbook (read by the CLI's workbook reader, its problems located by sheet,
row and column), or a whole bundle (a YAML/JSON file or a zipped bundle folder) whose records go to the agencies that
answer for them. Everything is checked against the catalogue first; nothing is stored unless all of it passes."""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.db import transaction

from par_score import api
from par_score.errors import ParScoreError, Problem
from par_score.evidence.model import SECTIONS
from par_score.evidence.parts import LoadedPart
from par_score.evidence.workbook.reader import read_workbook
from par_score.web.workspace import codec
from par_score.web.workspace.catalogues import COMMON, campaign_catalogue, lead_owner, owners
from par_score.web.workspace.files import FileRefused, Upload, store
from par_score.web.workspace.history import log_change, snapshot
from par_score.web.workspace.models import AgencyPart, Campaign
from par_score.web.workspace.naming import HEADER_FILE
from par_score.web.workspace.parts import Entry, header_data, score_parts
from par_score.web.workspace.records import KEY_FIELDS, Locked, owner_name, replace_records

MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_UNPACKED = 500 * 1024 * 1024


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.render() for p in problems))
        self.problems = problems


# ---- an agency's workbook ------------------------------------------------------------------------------------
def import_workbook(user, part: AgencyPart, upload: Upload, *, ignore_deadline: bool = False) -> int:
    """Replace the part's records by the workbook's rows. ImportRefused lists every problem (sheet, row, column)."""
    campaign = part.campaign
    try:
        loaded = read_workbook(upload.path)
    except ParScoreError as exc:
        raise ImportRefused([_named(p, upload) for p in exc.problems]) from None
    problems = _header_problems(campaign, loaded)
    loaded = LoadedPart(
        loaded.path,
        loaded.part.model_copy(update={"unit": None, "year": None, "catalogue": None}),
        loaded.origins,
        {},
        loaded.problems,
    )
    index = campaign_catalogue(campaign)
    entries: list[Entry] = []
    for section in SECTIONS:
        for position, record in enumerate(getattr(loaded.part, section)):
            data = codec.stored(record)
            if section == "documents" and not data.get("topics") and part.agency in owners(index, section, data):
                pass
            elif part.agency not in owners(index, section, data):
                origin = loaded.origin(section, position)
                field = KEY_FIELDS[section] if section != "documents" else "topics"
                whose = (
                    ", ".join(sorted(owner_name(o) for o in owners(index, section, data))) or "không có trong danh mục"
                )
                problems.append(
                    Problem(
                        f"thuộc phần của cơ quan khác ({whose}), không phải của {part.agency}",
                        file=upload.name,
                        record=origin.record,
                        field=origin.fields.get(field, field),
                    )
                )
            entries.append((section, data))
    if not problems:
        scored = score_parts(
            campaign, {HEADER_FILE: header_data(campaign)}, agency=part.agency, loaded=[loaded], verify_files=True
        )
        problems = scored.problems
    if problems:
        raise ImportRefused([_named(p, upload) for p in problems])
    return replace_records(user, part, entries, note=f"bảng tính {upload.name}", ignore_deadline=ignore_deadline)


def _named(problem: Problem, upload: Upload) -> Problem:
    """A problem naming the uploaded file as the person named it, never by the server's temporary path."""
    if problem.file and Path(problem.file) == upload.path:
        return Problem(problem.message, file=upload.name, record=problem.record, field=problem.field)
    return problem


def _header_problems(campaign: Campaign, loaded: LoadedPart) -> list[Problem]:
    part = loaded.part
    problems = []
    expected = {
        "unit.code": (part.unit.code if part.unit else None, campaign.unit_code),
        "year": (part.year, campaign.year),
        "catalogue": (part.catalogue, campaign.catalogue_id),
        "unit.profile": (part.unit.profile if part.unit else None, campaign.unit_profile or None),
    }
    for name, (given, wanted) in expected.items():
        if given is not None and given != wanted:
            origin = loaded.header_origins.get(name)
            problems.append(
                Problem(
                    f"'{given}' khác chiến dịch ('{wanted}'); hãy dùng bảng tính mẫu của chiến dịch này",
                    file=str(loaded.path.name),
                    record=origin.record if origin else None,
                    field=origin.fields.get(name, name) if origin else name,
                )
            )
    return problems


# ---- a whole bundle ------------------------------------------------------------------------------------------
@dataclass
class ImportSummary:
    changed: dict[str, int]
    report: bool


def import_bundle(user, campaign: Campaign, upload: Upload) -> ImportSummary:
    with tempfile.TemporaryDirectory(prefix="par-score-nhap-") as work:
        root = Path(work)
        source = _unpacked(upload, root)
        try:
            bundle = api.load_bundle(source, lenient=True)
            api.score_bundle(bundle, campaign_catalogue(campaign), verify_files=True)  # every check, all problems
        except ParScoreError as exc:
            raise ImportRefused([_relative(p, root) for p in exc.problems]) from None
        problems = []
        if bundle.unit.profile and bundle.unit.profile != (campaign.unit_profile or None):
            problems.append(
                Problem(
                    f"bộ tài liệu của đơn vị loại '{bundle.unit.profile}', chiến dịch là loại "
                    f"'{campaign.unit_profile or 'chưa chọn'}'; hãy chọn loại đơn vị ở trang Cài đặt trước khi nhập"
                )
            )
        if (bundle.unit.code, bundle.year) != (campaign.unit_code, campaign.year):
            problems.append(
                Problem(
                    f"bộ tài liệu của '{bundle.unit.code}' năm {bundle.year}, chiến dịch là của '{campaign.unit_code}' "
                    f"năm {campaign.year}"
                )
            )
        by_agency, more = _distribute(campaign, bundle, root)
        problems += more
        if problems:
            raise ImportRefused(problems)
        parts = {p.agency: p for p in campaign.parts.all()}
        changed = {}
        try:
            with transaction.atomic():
                # Every lock the import takes, first and in one order (the campaign, then its parts by id): an agency
                # saving meanwhile holds its part, then the change log's head; taking the parts one by one while
                # holding the head would deadlock against it.
                Campaign.objects.select_for_update().get(pk=campaign.pk)
                list(AgencyPart.objects.select_for_update().filter(campaign=campaign).order_by("pk"))
                for agency, entries in by_agency.items():
                    changed[owner_name(agency)] = replace_records(
                        user,
                        parts[agency] if agency != COMMON else None,
                        entries,
                        note=f"bộ tài liệu {upload.name}",
                        ignore_deadline=True,
                        check_first=False,
                        campaign=campaign,
                    )
                if bundle.report is not None:
                    report = codec.stored(bundle.report)
                    if report != campaign.report:
                        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
                        before = snapshot(locked)
                        locked.report = report
                        locked.version += 1
                        locked.save()
                        campaign.report, campaign.version = locked.report, locked.version
                        log_change(locked, user, "campaign", target=locked, before=before, after=snapshot(locked))
        except Locked as exc:
            raise ImportRefused([Problem(exc.reason)]) from None
        return ImportSummary(changed, bundle.report is not None)


def _distribute(campaign: Campaign, bundle, root: Path) -> tuple[dict[str, list[Entry]], list[Problem]]:
    """Each record to the agency that answers for it; a document without topics to the agency whose records cite it
    (else to the agency with most records in the same file)."""
    index = campaign_catalogue(campaign)
    problems: list[Problem] = []
    owner_of: dict[tuple[str, int], str] = {}
    by_file: dict[str, dict[str, int]] = {}
    for section in SECTIONS:
        for position, record in enumerate(getattr(bundle, section)):
            stored = codec.stored(record)
            if section == "documents" and not record.topics:
                continue
            found = owners(index, section, stored)
            chosen = lead_owner(index, section, stored) if len(found) > 1 else None
            if chosen is not None:
                found = {chosen}
            if len(found) != 1:
                where = _relative(Problem("", file=bundle.origin(section, position).file), root).file
                problems.append(
                    Problem(
                        f"không xác định được cơ quan chủ trì (các cơ quan: {', '.join(sorted(found)) or 'không có'}); "
                        "một văn bản chỉ làm tài liệu kiểm chứng cho tiêu chí của một cơ quan",
                        file=where,
                        record=f"{section} #{position + 1}",
                    )
                )
                continue
            agency = next(iter(found))  # COMMON: the administrator's own records (statistics, items)
            owner_of[(section, position)] = agency
            file = bundle.origin(section, position).file
            by_file.setdefault(file, {}).setdefault(agency, 0)
            by_file[file][agency] += 1
    cited_by: dict[str, str] = {}
    for section in SECTIONS:
        for position, record in enumerate(getattr(bundle, section)):
            for ref in getattr(record, "documents", []) if section != "documents" else []:
                if (section, position) in owner_of:
                    cited_by.setdefault(ref, owner_of[(section, position)])
    first_agency = campaign.parts.order_by("position").first().agency
    for position, record in enumerate(bundle.documents):
        if not record.topics:
            file = bundle.origin("documents", position).file
            counts = by_file.get(file, {})
            owner_of[("documents", position)] = cited_by.get(record.id) or (
                max(counts, key=counts.get) if counts else first_agency
            )
    result: dict[str, list[Entry]] = {}
    for section in SECTIONS:
        for position, record in enumerate(getattr(bundle, section)):
            agency = owner_of.get((section, position))
            if agency is None:
                continue
            data = codec.stored(record)
            if section == "documents" and record.file is not None:
                try:
                    data["file"] = _stored_attachment(root, bundle, record)
                except FileRefused as exc:
                    problems.append(Problem(str(exc), file=record.file.path, record=f"documents ({record.id})"))
            result.setdefault(agency, []).append((section, data))
    return result, problems


def _stored_attachment(root: Path, bundle, record) -> dict:
    path = Path(bundle.root) / record.file.path
    stored = store(Upload(path, path.name, path.stat().st_size), None)
    return {"path": stored.relative_path, "sha256": stored.sha256}


def _relative(problem: Problem, root: Path) -> Problem:
    """A problem naming a file of the unpacked upload by its path inside the upload."""
    if not problem.file:
        return problem
    text = problem.file
    prefix = str(root) + "/"
    for folder in (prefix + "bo/", prefix):
        if text.startswith(folder):
            text = text[len(folder) :]
            break
    return Problem(problem.message, file=text or ".", record=problem.record, field=problem.field)


def _unpacked(upload: Upload, root: Path) -> Path:
    """The uploaded bundle on disk: a YAML/JSON file as it is, a zip unpacked safely (no absolute paths, no '..',
    no links, bounded count and size); the bundle is the zip's single top folder, or the zip itself."""
    suffix = Path(upload.name).suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        target = root / "bo" / upload.name
        target.parent.mkdir()
        shutil.copyfile(upload.path, target)
        return target
    if suffix != ".zip":
        raise ImportRefused(
            [Problem("chỉ nhận tệp .yaml, .yml, .json hoặc .zip (thư mục bộ tài liệu đã nén)", file=upload.name)]
        )
    target = root / "bo"
    target.mkdir()
    try:
        with zipfile.ZipFile(upload.path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise ImportRefused([Problem(f"tệp nén có quá nhiều tệp (tối đa {MAX_ZIP_MEMBERS})", file=upload.name)])
            if sum(m.file_size for m in members) > MAX_ZIP_UNPACKED:
                raise ImportRefused([Problem("tệp nén quá lớn khi giải nén (tối đa 500 MB)", file=upload.name)])
            for member in members:
                name = PurePosixPath(member.filename)
                mode = member.external_attr >> 16
                if name.is_absolute() or ".." in name.parts or "\\" in member.filename or stat.S_ISLNK(mode):
                    raise ImportRefused(
                        [Problem(f"tệp nén chứa đường dẫn không hợp lệ '{member.filename}'", file=upload.name)]
                    )
                if member.is_dir():
                    continue
                out = target / name
                out.parent.mkdir(parents=True, exist_ok=True)
                written = 0
                with archive.open(member) as source, out.open("wb") as sink:
                    for chunk in iter(lambda: source.read(1 << 20), b""):
                        written += len(chunk)
                        if written > member.file_size or written > MAX_ZIP_UNPACKED:
                            raise ImportRefused(
                                [Problem("tệp nén bị hỏng hoặc khai báo sai kích thước", file=upload.name)]
                            )
                        sink.write(chunk)
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise ImportRefused([Problem(f"không phải tệp .zip hợp lệ ({type(exc).__name__})", file=upload.name)]) from None
    entries = [p for p in target.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target
