"""Hostile workbooks made from a real one: renamed parts, other encodings, DTDs, bombs, sparse wide rows, huge
shared strings, corrupt members. For the tests, the fuzz suite and benchmarks/bench_hostile_workbooks.py.

Each function takes the bytes of a valid .xlsx (usually the evidence template, `par-score template`) and returns the
bytes of a changed one; `hostile_corpus` gives the whole set by name. Nothing here reads or writes files.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

Parts = dict[str, bytes]

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def column_letter(position: int) -> str:
    """The letters of a column (1 → A, 16 384 → XFD)."""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parts_of(data: bytes) -> Parts:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def package(parts: Parts, *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def changed(data: bytes, change: Callable[[Parts], None]) -> bytes:
    parts = parts_of(data)
    change(parts)
    return package(parts)


def sheet_parts(parts: Parts) -> list[str]:
    """The worksheet parts, in name order (sheet1.xml, sheet2.xml, …)."""
    return sorted((n for n in parts if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)), key=_number_in)


def _number_in(name: str) -> int:
    found = re.search(r"\d+", name)
    return int(found.group()) if found else 0


def info_sheet(parts: Parts) -> str:
    """The part of the 'Thông tin' sheet (the template's second sheet)."""
    return sheet_parts(parts)[1]


def rename_part(parts: Parts, old: str, new: str) -> None:
    """Rename a part and every reference to it (content types, relationships), as a hostile editor would."""
    parts[new] = parts.pop(old)
    old_rels = _rels_of(old)
    if old_rels in parts:
        parts[_rels_of(new)] = parts.pop(old_rels)
    old_base, new_base = old.rsplit("/", 1)[1].encode(), new.rsplit("/", 1)[1].encode()
    for name in list(parts):
        if name == "[Content_Types].xml" or name.endswith(".rels"):
            parts[name] = parts[name].replace(old.encode(), new.encode()).replace(b"/" + old_base, b"/" + new_base)


def _rels_of(part: str) -> str:
    folder, base = part.rsplit("/", 1)
    return f"{folder}/_rels/{base}.rels"


def _append_rows(xml: bytes, rows_xml: bytes) -> bytes:
    if b"<sheetData/>" in xml:
        return xml.replace(b"<sheetData/>", b"<sheetData>" + rows_xml + b"</sheetData>")
    return xml.replace(b"</sheetData>", rows_xml + b"</sheetData>", 1)


def with_doctype(xml: bytes, *, entity_chars: int = 32_000, references: int = 32_000) -> bytes:
    """An internal DTD declaring one long entity, and a cell that references it many times (gigabytes expanded)."""
    head, body = _split_declaration(xml)
    doctype = b'<!DOCTYPE w [<!ENTITY e "' + b"x" * entity_chars + b'">]>'
    cell = b'<row r="1048000"><c r="A1048000" t="inlineStr"><is><t>' + b"&e;" * references + b"</t></is></c></row>"
    return head + doctype + _append_rows(body, cell)


def _split_declaration(xml: bytes) -> tuple[bytes, bytes]:
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end], xml[end:]
    return b"", xml


def in_utf16(xml: bytes, *, bom: bool = True, big_endian: bool = False) -> bytes:
    """The same XML in UTF-16 (its declaration saying so)."""
    text = '<?xml version="1.0" encoding="UTF-16"?>' + _split_declaration(xml)[1].decode("utf-8")
    codec = "utf-16-be" if big_endian else "utf-16-le"
    return (("\ufeff" if bom else "") + text).encode(codec)


def sparse_wide_rows(xml: bytes, rows: int, *, column: str = "XFD", first: int = 300) -> bytes:
    """`rows` rows, each with one value cell far to the right (openpyxl pads each to the full width)."""
    body = b"".join(
        b'<row r="%d"><c r="%s%d" t="n"><v>1</v></c></row>' % (n, column.encode(), n)
        for n in range(first, first + rows)
    )
    return _append_rows(xml, body)


def far_row(xml: bytes, row: int = 1_048_576) -> bytes:
    """One value in the last row of the sheet (every row before it would be padded)."""
    return _append_rows(xml, b'<row r="%d"><c r="A%d" t="n"><v>1</v></c></row>' % (row, row))


def many_cells(xml: bytes, rows: int, columns: int = 26, first: int = 300) -> bytes:
    letters = [chr(65 + n) for n in range(columns)]
    body = b"".join(
        b'<row r="%d">' % n
        + b"".join(b'<c r="%s%d" t="n"><v>%d</v></c>' % (c.encode(), n, n) for c in letters)
        + b"</row>"
        for n in range(first, first + rows)
    )
    return _append_rows(xml, body)


def add_shared_strings(parts: Parts, sst: bytes) -> None:
    """A sharedStrings part, declared in the content types and the workbook relationships."""
    parts["xl/sharedStrings.xml"] = sst
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    relationship = (
        b'<Relationship Id="rIdSst" Target="sharedStrings.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    )
    for name, closing, added in (
        ("[Content_Types].xml", b"</Types>", override),
        ("xl/_rels/workbook.xml.rels", b"</Relationships>", relationship),
    ):
        if name in parts:  # a package already missing the part (another mutation) stays without it
            parts[name] = parts[name].replace(closing, added + closing)


def shared_strings(count: int, length: int) -> bytes:
    """`count` strings of `length` characters (each different, so that they do not compress like a bomb)."""
    items = b"".join(b"<si><t>%s</t></si>" % (b"%d" % n).rjust(length, b"y") for n in range(count))
    return b'<sst xmlns="%s" count="%d" uniqueCount="%d">' % (MAIN_NS, count, count) + items + b"</sst>"


def corrupt_member(data: bytes, name: str) -> bytes:
    """The same zip with bytes in the middle of one member's deflate stream overwritten."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    raw = bytearray(data)
    header = info.header_offset
    name_length = int.from_bytes(raw[header + 26 : header + 28], "little")
    extra_length = int.from_bytes(raw[header + 28 : header + 30], "little")
    start = header + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    for offset in range(min(24, info.compress_size // 3)):
        raw[middle + offset] ^= 0x5A
    return bytes(raw)


def encrypted_workbook() -> bytes:
    """The start of an OLE compound file as Excel writes a password-protected workbook (EncryptedPackage stream)."""
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le")
    return OLE_SIGNATURE + b"\x00" * 504 + directory + b"\x00" * 2048


def old_xls() -> bytes:
    return OLE_SIGNATURE + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 2048


def zip_bomb_member(parts: Parts, megabytes: int = 40) -> None:
    parts["xl/media/image1.bin"] = b"\x00" * (megabytes * 1024 * 1024)


def long_tag(xml: bytes, attributes: int = 200_000) -> bytes:
    """A row whose start tag carries a huge number of attributes."""
    names = b" ".join(b'a%d="1"' % n for n in range(attributes))
    return _append_rows(xml, b'<row r="400" ' + names + b"/>")


def deep_nesting(xml: bytes, depth: int = 5_000) -> bytes:
    return xml.replace(b"</worksheet>", b"<x>" * depth + b"</x>" * depth + b"</worksheet>")


def hostile_corpus(template: bytes) -> dict[str, bytes]:
    """Every hostile case by name, each built from `template` (a valid workbook)."""
    parts = parts_of(template)
    info = info_sheet(parts)
    info_base = info.rsplit(".", 1)[0]
    cases: dict[str, bytes] = {}

    def case(name: str, change: Callable[[Parts], None]) -> None:
        cases[name] = changed(template, change)

    def renamed_bomb(new: str, encode: Callable[[bytes], bytes] = lambda x: x) -> Callable[[Parts], None]:
        def change(p: Parts) -> None:
            p[info] = encode(with_doctype(p[info]))
            rename_part(p, info, new)

        return change

    case("dtd-bomb-sheet.xml", lambda p: p.__setitem__(info, with_doctype(p[info])))
    case("dtd-bomb-renamed-bin", renamed_bomb(info_base + ".bin"))
    case("dtd-bomb-renamed-upper-XML", renamed_bomb(info_base + ".XML"))
    case("dtd-bomb-utf16-bom", lambda p: p.__setitem__(info, in_utf16(with_doctype(p[info]))))
    case("dtd-bomb-utf16-no-bom", lambda p: p.__setitem__(info, in_utf16(with_doctype(p[info]), bom=False)))
    case("dtd-bomb-utf16be-renamed", renamed_bomb(info_base + ".dat", lambda x: in_utf16(x, big_endian=True)))
    case(
        "dtd-after-whitespace",
        lambda p: p.__setitem__(info, b" " * 70_000 + with_doctype(_split_declaration(p[info])[1])),
    )
    case(
        "external-entity",
        lambda p: p.__setitem__(
            "[Content_Types].xml",
            b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + _split_declaration(p["[Content_Types].xml"])[1],
        ),
    )
    case("sparse-wide-rows", lambda p: p.__setitem__(info, sparse_wide_rows(p[info], 4_000)))

    def sparse_renamed(p: Parts) -> None:
        p[info] = sparse_wide_rows(p[info], 4_000)
        rename_part(p, info, info_base + ".bin")

    case("sparse-wide-rows-renamed", sparse_renamed)
    case("far-row", lambda p: p.__setitem__(info, far_row(p[info])))
    case("too-many-cells", lambda p: p.__setitem__(info, many_cells(p[info], 10_000, 26, first=10)))
    case("huge-shared-strings", lambda p: add_shared_strings(p, shared_strings(8_000, 30_000)))
    case("many-shared-strings", lambda p: add_shared_strings(p, shared_strings(600_000, 1)))
    case("long-tag", lambda p: p.__setitem__(info, long_tag(p[info])))
    case("deep-nesting", lambda p: p.__setitem__(info, deep_nesting(p[info])))
    case("zip-bomb-member", zip_bomb_member)
    case("many-members", lambda p: p.update({f"xl/extra/x{n}.txt": b"x" for n in range(2_500)}))
    cases["corrupt-deflate-sheet"] = corrupt_member(template, sheet_parts(parts)[2])
    cases["corrupt-deflate-styles"] = corrupt_member(template, "xl/styles.xml")
    cases["truncated"] = template[: len(template) // 2]
    cases["encrypted"] = encrypted_workbook()
    cases["old-xls"] = old_xls()
    cases["not-a-zip"] = b"PK\x03\x04 this is not really a zip"
    return cases
