"""The workbook as a package (a zip of parts), checked in full before openpyxl reads any of it.

Safe by construction, not by pattern:

1. The file is a regular file of at most MAX_WORKBOOK_BYTES, read once; openpyxl later reads these very bytes.
2. An OLE compound file is not a zip: it is a password-protected (encrypted) workbook or an old .xls, and is said so.
3. The zip's central directory is inspected before anything is unpacked: at most MAX_MEMBERS members, each at most
   MAX_MEMBER_BYTES unpacked, together at most MAX_UNPACKED_BYTES, none compressed more than MAX_RATIO times.
4. Every member is unpacked in full (its CRC checked, so a corrupt deflate stream is found here), and every member
   that is XML — recognised by its content, whatever its name, letter case or encoding (UTF-8, UTF-16 or UTF-32,
   with or without a byte order mark) — is parsed by defusedxml's expat parser, which refuses any DTD, entity
   declaration or external reference. The parse is streamed and bounded: nesting depth, elements, characters
   between two tags (a huge tag or text node), cells, shared strings and the size of the shared-string part.
5. The cells that hold a value must lie within MAX_ROWS rows and MAX_COLUMNS columns; the reader then asks openpyxl
   for exactly that range, so a sparse row with one cell at column XFD is never padded to 16 384 cells.

Every refusal is an InputError naming the file and, where it can, the sheet ("Sheet 'Số liệu'") or the part.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, fromstring

from par_score.errors import InputError, Problem
from par_score.io.readers import read_bytes_limited

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 48 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed, for members larger than RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_SHARED_STRINGS = 400_000
MAX_CELLS = 200_000  # ten times a province's filled template
MAX_ELEMENTS = 3_000_000
MAX_XML_DEPTH = 64
MAX_RUN_CHARS = 1_000_000  # characters between two '>': bounds any tag (its attributes) and any text node
MAX_ROWS = 20_000
MAX_COLUMNS = 200

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_CHUNK = 1 << 16
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_OFFICE_DOCUMENT = "/officeDocument"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _number(value: int) -> str:
    return f"{value:_}".replace("_", ".")


def column_letter(position: int) -> str:
    """The letters of a column (1 → A, 16 384 → XFD)."""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


class _Refused(Exception):
    """A limit reached inside the parse of one part; `message` is Vietnamese, `sheet_row` locates it if known."""

    def __init__(self, message: str, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass
class PackageFacts:
    """What the inspection found: the bytes openpyxl is to read, and the range of cells that hold a value."""

    data: bytes
    last_row: int = 0
    last_column: int = 0
    cells: int = 0
    formulas: int = 0  # cells holding a formula (none: the workbook is read once, for its values only)


# ---- one XML part -----------------------------------------------------------------------------------------------
def _local(name: str) -> str:
    return name.rpartition("}")[2]


class _PartScan:
    """expat handlers counting what openpyxl would materialise from one part (shared budgets across the package)."""

    def __init__(self, budget: _Budget):
        self.budget = budget
        self.stack: list[str] = []
        self.root: str | None = None
        self.row = 0
        self.column = 0
        self.in_cell = False
        self.cell_has_value = False
        self.cell_column = 0
        self.last_row = 0
        self.last_column = 0

    def start(self, name: str, attributes: list[str]) -> None:
        local = _local(name)
        budget = self.budget
        budget.elements += 1
        if budget.elements > MAX_ELEMENTS:
            raise _Refused(f"bảng tính có quá nhiều phần tử XML (tối đa {_number(MAX_ELEMENTS)})")
        if len(self.stack) >= MAX_XML_DEPTH:
            raise _Refused(f"cấu trúc XML lồng quá sâu (tối đa {MAX_XML_DEPTH} cấp)")
        parent = self.stack[-1] if self.stack else None
        self.stack.append(local)
        if parent is None:
            self.root = local
            return
        if local == "row":
            reference = _attribute(attributes, "r")
            self.row = _row_number(reference, self.row) if reference is not None else self.row + 1
            self.column = 0
        elif local == "c" and parent == "row":
            budget.cells += 1
            if budget.cells > MAX_CELLS:
                raise _Refused(f"bảng tính có quá nhiều ô (tối đa {_number(MAX_CELLS)})", self.row)
            reference = _attribute(attributes, "r")
            if reference is None:
                self.column += 1
            else:
                found = _CELL_REF.match(reference)
                if found is None:
                    raise _Refused(f"ô có địa chỉ không hợp lệ ('{reference[:20]}')", self.row)
                self.column = _column_number(found.group(1))
            self.in_cell, self.cell_has_value, self.cell_column = True, False, self.column
        elif self.in_cell and local in ("v", "is", "f"):
            self.cell_has_value = True
            if local == "f":
                budget.formulas += 1
        elif local == "si" and self.root == "sst":
            budget.shared_strings += 1
            if budget.shared_strings > MAX_SHARED_STRINGS:
                raise _Refused(f"bảng tính có quá nhiều chuỗi dùng chung (tối đa {_number(MAX_SHARED_STRINGS)})")

    def end(self, name: str) -> None:
        local = self.stack.pop()
        if local == "c" and self.in_cell:
            self.in_cell = False
            if self.cell_has_value:
                if self.row > MAX_ROWS:
                    raise _Refused(f"sheet có quá nhiều dòng (tối đa {_number(MAX_ROWS)})", self.row)
                if self.cell_column > MAX_COLUMNS:
                    raise _Refused(
                        f"ô {column_letter(self.cell_column)}{self.row} có dữ liệu ngoài vùng được đọc "
                        f"(tối đa {MAX_COLUMNS} cột, đến cột {column_letter(MAX_COLUMNS)}); hãy xóa dữ liệu ở đó",
                        self.row,
                    )
                self.last_row = max(self.last_row, self.row)
                self.last_column = max(self.last_column, self.cell_column)


def _attribute(attributes: list[str], wanted: str) -> str | None:
    """A plain (un-namespaced) attribute from expat's ordered list [name, value, name, value, …]."""
    for position in range(0, len(attributes), 2):
        if attributes[position] == wanted:
            return attributes[position + 1]
    return None


def _row_number(reference: str, previous: int) -> int:
    text = reference.strip()
    if re.fullmatch(r"[0-9]{1,7}", text):
        return int(text)
    try:
        value = float(text)  # openpyxl accepts "5.0"
    except ValueError:
        value = -1.0
    if value.is_integer() and 0 < value < 10**7:
        return int(value)
    raise _Refused(f"số dòng không hợp lệ ('{text[:20]}')", previous or None)


@dataclass
class _Budget:
    elements: int = 0
    cells: int = 0
    shared_strings: int = 0
    formulas: int = 0


# ---- recognising XML by its content -------------------------------------------------------------------------------
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _encoding(head: bytes) -> tuple[str, int]:
    """(codec, length of the byte order mark) the way expat guesses it: a BOM, else NULs in the first bytes."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    if head[:4] in (b"\x00\x00\x00<", b"\x00\x00\x00 "):
        return "utf-32-be", 0
    if head[1:4] == b"\x00\x00\x00" and head[:1] != b"\x00":
        return "utf-32-le", 0
    if head[:1] == b"\x00":
        return "utf-16-be", 0
    if head[1:2] == b"\x00":
        return "utf-16-le", 0
    return "latin-1", 0  # any ASCII-compatible encoding: byte for byte, '<' and '>' are themselves


class _Text:
    """The member's characters as they arrive, to tell XML from other content and bound runs between tags."""

    def __init__(self) -> None:
        self.decoder: codecs.IncrementalDecoder | None = None
        self.decided: bool | None = None  # None: only white space so far; True: XML; False: not XML
        self.run = 0

    def decode(self, chunk: bytes, final: bool = False) -> str:
        if self.decoder is None:
            codec, bom = _encoding(chunk[:4])
            self.decoder = codecs.getincrementaldecoder(codec)(errors="replace")
            chunk = chunk[bom:]
        return self.decoder.decode(chunk, final)

    def feed(self, chunk: bytes, final: bool = False) -> None:
        text = self.decode(chunk, final)
        if self.decided is None:
            stripped = text.lstrip(" \t\r\n\ufeff")
            if stripped:
                self.decided = stripped.startswith("<")
        if self.decided is False:
            return
        parts = text.split(">")
        if len(parts) == 1:
            self.run += len(text)
        else:
            longest = max(self.run + len(parts[0]), max(map(len, parts[1:-1]), default=0))
            if longest > MAX_RUN_CHARS:
                raise _Refused(f"thẻ hoặc đoạn văn bản XML quá dài (tối đa {_number(MAX_RUN_CHARS)} ký tự)")
            self.run = len(parts[-1])
        if self.run > MAX_RUN_CHARS:
            raise _Refused(f"thẻ hoặc đoạn văn bản XML quá dài (tối đa {_number(MAX_RUN_CHARS)} ký tự)")


# ---- the package ------------------------------------------------------------------------------------------------
class _Package:
    def __init__(self, path: Path, data: bytes):
        self.path = path
        self.file = str(path)
        self.data = data
        self.archive: zipfile.ZipFile | None = None

    def refuse(self, message: str, *, part: str | None = None, row: int | None = None) -> InputError:
        sheet = self.sheet_of(part) if part is not None else None
        if sheet is not None:
            record = f"Sheet '{sheet}'" + (f", dòng {row}" if row is not None else "")
            return InputError(Problem(message, file=self.file, record=record))
        where = f" (thành phần '{part[:120]}' của tệp)" if part is not None else ""
        return InputError(Problem(message + where, file=self.file))

    def sheet_of(self, part: str) -> str | None:
        """The name of the sheet stored in `part`, if the workbook's own parts say so (best effort)."""
        try:
            return _sheet_parts(self.archive).get(part) if self.archive is not None else None
        except Exception:  # the parts naming sheets are themselves odd: the part name is said instead
            return None

    def inspect(self) -> PackageFacts:
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(self.data))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
            raise InputError(Problem(f"không phải tệp Excel .xlsx hợp lệ ({exc})", file=self.file)) from None
        members = self.archive.infolist()
        self.directory(members)
        budget = _Budget()
        facts = PackageFacts(self.data)
        for member in members:
            if member.is_dir():
                continue
            scan = self.member(member, budget)
            if scan is not None:
                facts.last_row = max(facts.last_row, scan.last_row)
                facts.last_column = max(facts.last_column, scan.last_column)
        facts.cells, facts.formulas = budget.cells, budget.formulas
        return facts

    def directory(self, members: list[zipfile.ZipInfo]) -> None:
        if len(members) > MAX_MEMBERS:
            raise self.refuse(f"bảng tính có quá nhiều thành phần ({_number(len(members))}; tối đa {MAX_MEMBERS})")
        total = 0
        for member in members:
            name = member.filename
            if member.flag_bits & 0x1:
                raise self.refuse("bảng tính có thành phần được mã hóa bằng mật khẩu", part=name)
            if member.file_size > MAX_MEMBER_BYTES:
                raise self.refuse(
                    f"thành phần quá lớn khi giải nén ({_number(member.file_size)} byte; "
                    f"tối đa {_number(MAX_MEMBER_BYTES)} byte)",
                    part=name,
                )
            if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise self.refuse(
                    f"thành phần bị nén bất thường ({_number(member.compress_size)} byte nén thành "
                    f"{_number(member.file_size)} byte): có thể là bom nén (zip bomb)",
                    part=name,
                )
            total += member.file_size
        if total > MAX_UNPACKED_BYTES:
            raise self.refuse(
                f"bảng tính quá lớn khi giải nén ({_number(total)} byte; tối đa {_number(MAX_UNPACKED_BYTES)} byte)"
            )

    def member(self, member: zipfile.ZipInfo, budget: _Budget) -> _PartScan | None:
        """Unpack one member in full; parse it if it is XML. The scan of an XML member, else None."""
        name = member.filename
        scan = _PartScan(budget)
        text = _Text()
        parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        expat = parser.parser
        expat.StartElementHandler = scan.start
        expat.EndElementHandler = scan.end
        expat.CharacterDataHandler = None  # no Python call per text node: only elements are counted
        expat.DefaultHandlerExpand = None
        unpacked = 0
        try:
            with self.archive.open(member) as stream:  # type: ignore[union-attr]
                while chunk := stream.read(_CHUNK):
                    unpacked += len(chunk)
                    if unpacked > member.file_size:  # zipfile stops at the declared size; never trust it alone
                        raise _Refused("thành phần lớn hơn kích thước khai báo")
                    text.feed(chunk)
                    if text.decided is False:
                        continue
                    expat.Parse(chunk, False)
                    if scan.root == "sst" and unpacked > MAX_SHARED_STRINGS_BYTES:
                        raise _Refused(
                            f"bảng chuỗi dùng chung quá lớn (tối đa {_number(MAX_SHARED_STRINGS_BYTES)} byte)"
                        )
                text.feed(b"", final=True)
                if text.decided is not False:
                    expat.Parse(b"", True)
        except _Refused as exc:
            raise self.refuse(exc.message, part=name, row=exc.row) from None
        except DefusedXmlException:
            raise self.refuse("bảng tính chứa khai báo DOCTYPE/ENTITY, không được phép", part=name) from None
        except (zlib.error, zipfile.BadZipFile, EOFError, OSError) as exc:
            raise self.refuse(f"thành phần bị hỏng, không giải nén được ({_zip_reason(exc)})", part=name) from None
        except (RuntimeError, NotImplementedError) as exc:
            raise self.refuse(f"thành phần không đọc được ({exc})", part=name) from None
        except ExpatError as exc:  # not well-formed XML: damaged, or a DOCTYPE where none can be, or just wrong
            line = getattr(exc, "lineno", None)
            where = f" ở dòng {line}, cột {getattr(exc, 'offset', 0) + 1}" if line else ""
            raise self.refuse(self.why_not_xml(member) or f"thành phần XML không hợp lệ{where}", part=name) from None
        return scan if text.decided else None

    def why_not_xml(self, member: zipfile.ZipInfo) -> str | None:
        """Why a part is not well-formed, when it can be told: it is damaged (its CRC or its deflate stream), or it
        holds a DOCTYPE or ENTITY declaration somewhere (after the root element, say)."""
        text = _Text()
        tail = ""
        declares = False
        try:
            with self.archive.open(member) as stream:  # type: ignore[union-attr]
                while chunk := stream.read(_CHUNK):
                    window = (tail + text.decode(chunk)).upper()
                    declares = declares or "<!DOCTYPE" in window or "<!ENTITY" in window
                    tail = window[-8:]
        except (zlib.error, zipfile.BadZipFile, EOFError, OSError) as exc:
            return f"thành phần bị hỏng, không giải nén được ({_zip_reason(exc)})"
        return "bảng tính chứa khai báo DOCTYPE/ENTITY, không được phép" if declares else None


def _zip_reason(exc: BaseException) -> str:
    text = str(exc)
    if "CRC" in text:
        return "sai mã kiểm tra CRC"
    if isinstance(exc, zlib.error) or "compressed" in text:
        return "dữ liệu nén không hợp lệ"
    return "tệp nén bị cắt cụt hoặc hỏng"


def _xml(archive: zipfile.ZipFile, name: str):
    info = archive.getinfo(name)
    if info.file_size > RATIO_FROM_BYTES:
        raise ValueError(name)
    return fromstring(archive.read(info), forbid_dtd=True)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """part name → sheet name, from the package relationships, the workbook part and its relationships."""
    root_rels = _xml(archive, "_rels/.rels")
    workbook = next(
        r.get("Target", "")
        for r in root_rels.iter(f"{_RELS}Relationship")
        if r.get("Type", "").endswith(_OFFICE_DOCUMENT)
    ).lstrip("/")
    folder, base = posixpath.split(workbook)
    targets = {
        r.get("Id"): r.get("Target", "")
        for r in _xml(archive, posixpath.join(folder, "_rels", base + ".rels")).iter(f"{_RELS}Relationship")
    }
    parts = {}
    for sheet in _xml(archive, workbook).iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_REL_ID))
        if target:
            full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            parts[full] = sheet.get("name", "")
    return parts


def _not_a_zip(path: Path, data: bytes) -> InputError:
    if data.startswith(OLE_SIGNATURE):
        if ENCRYPTED_STREAM in data:
            return InputError(
                Problem(
                    "bảng tính được bảo vệ bằng mật khẩu (đã mã hóa), par-score không đọc được; hãy mở bằng Excel, "
                    "bỏ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu: xóa mật khẩu) "
                    "rồi lưu lại dạng .xlsx",
                    file=str(path),
                )
            )
        return InputError(
            Problem(
                "đây là tệp Excel cũ (.xls), không phải .xlsx; hãy mở bằng Excel và lưu lại dạng .xlsx",
                file=str(path),
            )
        )
    return InputError(
        Problem(
            "không phải tệp Excel .xlsx hợp lệ (tệp .xls cũ hãy mở bằng Excel và lưu lại dạng .xlsx)", file=str(path)
        )
    )


def inspect_workbook(path: Path) -> PackageFacts:
    """Read the workbook file and check the whole package (see the module text); InputError when it is refused."""
    data = read_bytes_limited(path, MAX_WORKBOOK_BYTES)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _not_a_zip(path, data)
    return _Package(path, data).inspect()


__all__ = ["MAX_CELLS", "MAX_COLUMNS", "MAX_ROWS", "PackageFacts", "ParseError", "column_letter", "inspect_workbook"]
