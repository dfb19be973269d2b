"""The change log's hash chain, and its verification: pure functions over entries as plain data (a row of the
database, or a line of an exported nhat-ky.jsonl), so that the workspace, `par-score web verify` and anyone holding
an export check a log the same way.

Each entry's `hash` is the sha256 of its canonical JSON (the fields below, `prev_hash` included): an entry edited in
place no longer matches its hash; one deleted leaves a gap in `seq` and a `prev_hash` that names no entry before it;
entries moved leave `prev_hash` naming an entry that is not the one before. Rewriting the whole chain after an edit
would still verify — hence the `seal`, each hash signed (HMAC-SHA256) with the workspace's log key, which is kept in
the data folder, not in the database: an entry rewritten through the database alone carries a seal that does not
match. An export is checked without the key (its chain), the workspace with it (its chain and its seals).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

HASH_FORMAT = "par-score/change@1"
FIELDS = (
    "chain",
    "seq",
    "at",
    "username",
    "action",
    "agency",
    "section",
    "key",
    "target",
    "before",
    "after",
    "note",
    "prev_hash",
)
EXPORTED = (*FIELDS, "hash", "seal")


def plain_json(value: Any) -> Any:
    """A value as JSON gives it back (tuples become lists…): what the database will return for it."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def timestamp(moment: dt.datetime) -> str:
    """An entry's time as it is hashed: UTC, microseconds, ISO 8601."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(entry: Mapping[str, Any]) -> bytes:
    content = {"format": HASH_FORMAT, **{name: entry[name] for name in FIELDS}}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def seal_of(key: bytes, digest: str) -> str:
    return hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a log: what (edited, deleted, reordered, unsealed, head, state) and where, in Vietnamese."""

    chain: str
    kind: str
    message: str
    seq: int | None = None


def describe(entry: Mapping[str, Any]) -> str:
    """An entry as a person finds it in the log page: number, time, who, what."""
    moment = entry["at"]
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    local = moment.astimezone(dt.timezone(dt.timedelta(hours=7)))
    what = f"{entry['action']}" + (f" {entry['target']}" if entry.get("target") else "")
    return f"mục số {entry['seq']} ({local:%H:%M:%S %d/%m/%Y}, {entry['username'] or 'hệ thống'}, {what})"


def verify_chain(
    chain: str,
    entries: Iterable[Mapping[str, Any]],
    *,
    head: tuple[int, str] | None = None,
    key: bytes | None = None,
) -> list[Finding]:
    """Every finding about one chain, whose entries are given in any order (they are read by `seq`). `head` is the
    (seq, hash) the workspace recorded for its last entry (None: an export, whose end cannot be checked); `key` the
    log key (None: seals are not checked)."""
    ordered = sorted(entries, key=lambda e: e["seq"])
    findings: list[Finding] = []
    by_hash = {e["hash"]: e for e in ordered}

    def add(kind: str, message: str, seq: int | None = None) -> None:
        findings.append(Finding(chain, kind, message, seq))

    previous: Mapping[str, Any] | None = None
    reported: set[int] = set()
    for entry in ordered:
        seq = entry["seq"]
        content_ok = entry_hash(entry) == entry["hash"]
        if not content_ok:
            reported.add(seq)
            moved = _written_as(entry)
            if moved is not None:
                add(
                    "reordered",
                    f"{describe(entry)} đã bị đổi chỗ: mục này vốn là mục số {moved}; thứ tự nhật ký đã bị sửa",
                    seq,
                )
            else:
                add("edited", f"{describe(entry)} đã bị sửa: nội dung không còn khớp mã băm đã ghi", seq)
        elif key is not None and not hmac.compare_digest(seal_of(key, entry["hash"]), entry.get("seal") or ""):
            reported.add(seq)
            add(
                "unsealed",
                f"{describe(entry)} có mã băm được tính lại mà không có khóa nhật ký: mục này đã bị ghi đè",
                seq,
            )
        expected = 1 if previous is None else previous["seq"] + 1
        if seq > expected:
            missing = f"mục số {expected}" if seq == expected + 1 else f"các mục số {expected} đến {seq - 1}"
            after = f"sau mục số {previous['seq']}" if previous is not None else "ở đầu nhật ký"
            add("deleted", f"{missing} ({after}, trước {describe(entry)}) đã bị xóa", expected)
        elif seq < expected:
            reported.add(seq)
            add("edited", f"{describe(entry)} trùng số thứ tự với mục trước: nhật ký đã bị sửa", seq)
        elif entry["prev_hash"] != (previous["hash"] if previous is not None else ""):
            explained = seq in reported or (previous is not None and previous["seq"] in reported)
            linked = by_hash.get(entry["prev_hash"])
            if linked is not None and linked["seq"] in reported:
                explained = True
            if not explained:
                reported.add(seq)
                if linked is not None:
                    add(
                        "reordered",
                        f"{describe(entry)} được ghi ngay sau mục số {linked['seq']}, không phải sau mục số "
                        f"{previous['seq'] if previous else 0}: thứ tự nhật ký đã bị đảo",
                        seq,
                    )
                else:
                    add("edited", f"{describe(entry)} không còn nối với mục đứng trước nó: nhật ký đã bị sửa", seq)
        previous = entry
    if head is not None:
        last_seq = previous["seq"] if previous is not None else 0
        head_seq, head_hash = head
        if head_seq > last_seq:
            missing = f"mục số {head_seq}" if head_seq == last_seq + 1 else f"các mục số {last_seq + 1} đến {head_seq}"
            add("deleted", f"{missing} (cuối nhật ký) đã bị xóa", last_seq + 1)
        elif head_seq < last_seq:
            add("head", f"nhật ký có mục số {last_seq} nhưng đầu chuỗi ghi mục cuối là số {head_seq}", head_seq)
        elif previous is not None and head_hash != previous["hash"]:
            add("head", f"mục cuối ({describe(previous)}) không phải mục cuối đã ghi nhận: nhật ký đã bị sửa", head_seq)
    return findings


def _written_as(entry: Mapping[str, Any], reach: int = 50) -> int | None:
    """The number an entry was written with, when its content is intact but its number was changed (a move within
    `reach` places; None when a changed number does not explain the mismatch)."""
    seq = entry["seq"]
    for candidate in range(max(1, seq - reach), seq + reach + 1):
        if candidate != seq and entry_hash({**entry, "seq": candidate}) == entry["hash"]:
            return candidate
    return None


def export_line(entry: Mapping[str, Any]) -> str:
    return json.dumps({name: entry.get(name) for name in EXPORTED}, ensure_ascii=False, sort_keys=True)


def read_export(lines: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The entries of an exported log (nhat-ky.jsonl), by chain; ValueError naming the line when one is not an entry."""
    chains: dict[str, list[dict[str, Any]]] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"dòng {number} không phải JSON hợp lệ ({exc.msg})") from None
        if not isinstance(entry, dict) or any(name not in entry for name in (*FIELDS, "hash")):
            raise ValueError(f"dòng {number} không phải một mục nhật ký (thiếu trường)")
        if not isinstance(entry["seq"], int) or isinstance(entry["seq"], bool):
            raise ValueError(f"dòng {number}: số thứ tự (seq) phải là số nguyên")
        for name in ("chain", "hash", "prev_hash", "at"):
            if not isinstance(entry[name], str):
                raise ValueError(f"dòng {number}: trường '{name}' phải là chuỗi ký tự")
        try:
            dt.datetime.fromisoformat(entry["at"]).astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise ValueError(f"dòng {number}: thời điểm (at) không phải ngày giờ ISO 8601") from None
        chains.setdefault(str(entry["chain"]), []).append(entry)
    return chains
