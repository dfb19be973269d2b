"""The evidence register (danh mục tài liệu kiểm chứng): every document cited anywhere in the annex once, numbered
TL01, TL02 … in the order of its first citation; annex cells cite "TL07, mục II" instead of repeating the document.
The evidence archive (`report --evidence-zip`) names the attached files by the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

from par_score.outputs.report.formatting import short_date
from par_score.scoring.result import EvidenceOut, LeafOut

SHA_PREFIX = 12  # hex digits of the attached file's sha256 printed in the register


@dataclass(frozen=True)
class RegisterEntry:
    code: str  # "TL07"
    id: str  # the document's id in the bundle
    number: str
    date: str
    issuer: str
    title: str
    file: str  # the attached file's name, or ""
    file_path: str  # its path inside the bundle, or ""
    sha256: str  # the prefix printed in the register, or ""


@dataclass(frozen=True)
class Register:
    entries: list[RegisterEntry]

    @property
    def has_files(self) -> bool:
        return any(entry.file for entry in self.entries)

    def code(self, document_id: str) -> str:
        return self._codes[document_id]

    @cached_property
    def _codes(self) -> dict[str, str]:
        return {entry.id: entry.code for entry in self.entries}


def _entry(code: str, doc: EvidenceOut, hashes: dict[str, str]) -> RegisterEntry:
    path = doc.file or ""
    return RegisterEntry(
        code=code,
        id=doc.id,
        number=doc.number,
        date=short_date(doc.issue_date),
        issuer=doc.issuer,
        title=doc.title,
        file=PurePosixPath(path).name if path else "",
        file_path=path,
        sha256=(doc.sha256 or hashes.get(path, ""))[:SHA_PREFIX],
    )


def build_register(leaves: list[LeafOut], hashes: dict[str, str] | None = None) -> Register:
    """Documents in the order they are first cited by the leaves (catalogue order), each once. `hashes` gives the
    sha256 of attached files (by path) whose evidence does not declare one."""
    seen: dict[str, EvidenceOut] = {}
    for leaf in leaves:
        for doc in leaf.evidence:
            seen.setdefault(doc.id, doc)
    width = max(2, len(str(len(seen))))
    return Register([_entry(f"TL{n:0{width}d}", doc, hashes or {}) for n, doc in enumerate(seen.values(), start=1)])


def lower_initial(text: str) -> str:
    """ "Mục II, Điều 1" → "mục II, Điều 1" inside a sentence; an initial acronym ("UBND", "Điều") stays as typed only
    when its second letter is a capital too."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def citation(register: Register, doc: EvidenceOut) -> str:
    """ "TL07, mục II (52 nhiệm vụ)": the register number and where in the document the evidence sits."""
    code = register.code(doc.id)
    locator = (doc.locator or "").strip().rstrip(".")
    return f"{code}, {lower_initial(locator)}" if locator else code
