"""Safe reading of YAML and JSON input files.

Floats are read as exact Decimals from their text; only the safe YAML subset is accepted (no custom tags), with
limits on file size, nesting depth and alias count so that a hostile file cannot exhaust memory.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from par_score.errors import InputError, Problem
from par_score.text import nfc

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 40
MAX_ALIASES = 100
MAX_NODES = 1_000_000


class _LimitedSafeLoader(yaml.SafeLoader):
    """SafeLoader that reads floats as Decimal, refuses duplicate keys and bounds aliases and depth."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(f"quá nhiều tham chiếu (alias) — tối đa {MAX_ALIASES} (dòng {mark.line + 1})")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(f"cấu trúc lồng quá sâu — tối đa {MAX_DEPTH} cấp (dòng {mark.line + 1})")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (list, dict)):
                raise yaml.constructor.ConstructorError(
                    None, None, "khóa phải là chuỗi văn bản", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"khóa '{key}' bị lặp lại", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    lowered = text.lower()
    if lowered in (".inf", "+.inf", "-.inf", ".nan"):
        raise yaml.constructor.ConstructorError(None, None, "số không hữu hạn không được phép", node.start_mark)
    return Decimal(text)


_LimitedSafeLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(f"không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start})", file=str(path))) from None
    if "\x00" in text:
        raise InputError(Problem("tệp chứa ký tự NUL, không phải văn bản", file=str(path)))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(Problem(f"không đọc được tệp ({exc.strerror})", file=str(path))) from None
    if size > limit:
        raise InputError(
            Problem(f"tệp quá lớn ({size:,} byte; tối đa {limit:,} byte)".replace(",", "."), file=str(path))
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(f"không đọc được tệp ({exc.strerror})", file=str(path))) from None


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"khóa '{key}' bị lặp lại")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"giá trị '{name}' không được phép")


def _normalise(value: Any, path: Path) -> Any:
    """NFC-normalise every string, bounding depth and the expanded size (aliases make DAGs that expand)."""
    budget = [MAX_NODES]

    def walk(node: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise InputError(Problem(f"dữ liệu quá lớn khi triển khai — tối đa {MAX_NODES:_} phần tử".replace("_", "."), file=str(path)))
        if depth > MAX_DEPTH:
            raise InputError(Problem(f"cấu trúc lồng quá sâu — tối đa {MAX_DEPTH} cấp", file=str(path)))
        if isinstance(node, str):
            return nfc(node)
        if isinstance(node, dict):
            return {walk(k, depth + 1): walk(v, depth + 1) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, depth + 1) for v in node]
        return node

    return walk(value, 0)


def read_structured(path: Path) -> Any:
    """Read one YAML (.yaml/.yml) or JSON (.json) file into plain Python values, NFC-normalised."""
    raw = read_bytes_limited(path)
    text = _decode(path, raw)
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(
                text, parse_float=Decimal, object_pairs_hook=_json_pairs, parse_constant=_reject_constant
            )
        except json.JSONDecodeError as exc:
            raise InputError(
                Problem(f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}", file=str(path))
            ) from None
        except (ValueError, RecursionError) as exc:
            raise InputError(Problem(f"JSON không hợp lệ: {exc}", file=str(path))) from None
    elif suffix in (".yaml", ".yml"):
        try:
            data = yaml.load(text, Loader=_LimitedSafeLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
            problem = exc.problem or "cú pháp sai"
            if "could not determine a constructor" in str(exc):
                problem = "thẻ (tag) YAML không được phép"
            raise InputError(Problem(f"YAML không hợp lệ{where}: {problem}", file=str(path))) from None
        except (yaml.YAMLError, RecursionError, ValueError, ArithmeticError) as exc:
            raise InputError(Problem(f"YAML không hợp lệ: {exc}", file=str(path))) from None
    else:
        raise InputError(Problem("định dạng không hỗ trợ (chỉ .yaml, .yml, .json)", file=str(path)))
    return _normalise(data, path)
