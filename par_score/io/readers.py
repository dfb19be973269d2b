"""Safe reading of YAML and JSON input files.

Floats are read as exact Decimals from their text; only the safe YAML subset is accepted (no custom tags), with
limits on file size, nesting depth and alias count so that a hostile file cannot exhaust memory.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from par_score.errors import InputError, Problem, os_reason
from par_score.io.files import open_regular
from par_score.io.text import nfc, shorten

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 40
MAX_ALIASES = 100
MAX_NODES = 1_000_000


try:  # libyaml scans and parses in C (about 8× faster); composing, with the limits below, stays in Python
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

MAX_INT_DIGITS = 40


class _Refused(yaml.constructor.ConstructorError):
    """A YAML construct par_score refuses; its problem text is already Vietnamese."""

    def __init__(self, problem: str, mark):
        super().__init__(None, None, problem, mark)


if _CParser is not None:

    class _SafeBase(Composer, _CParser, SafeConstructor, Resolver):  # type: ignore[misc, valid-type]
        """yaml.CSafeLoader, except that nodes are composed in Python (Composer first in the MRO)."""

        def __init__(self, stream: str):
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

else:  # pragma: no cover
    _SafeBase = yaml.SafeLoader  # type: ignore[misc, assignment]


class _LimitedSafeLoader(_SafeBase):
    """SafeLoader that reads floats as Decimal, refuses duplicate keys and bounds aliases and depth."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Refused(f"quá nhiều tham chiếu (alias) — tối đa {MAX_ALIASES}", self.peek_event().start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"cấu trúc lồng quá sâu — tối đa {MAX_DEPTH} cấp", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused("khóa gộp '<<' không được phép", key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                shown = f" (đang là: {str(key_node.value)[:40]})" if isinstance(key_node, yaml.ScalarNode) else ""
                raise _Refused(f"khóa phải là chuỗi văn bản{shown}", key_node.start_mark)
            if key in seen:
                raise _Refused(f"khóa '{shorten(key)}' bị lặp lại", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    lowered = text.lower()
    if lowered in (".inf", "+.inf", "-.inf", ".nan"):
        raise _Refused("số không hữu hạn không được phép", node.start_mark)
    try:
        return Decimal(text)
    except ArithmeticError:  # YAML 1.1 sexagesimal floats (1:30.5) and the like
        raise _Refused(f"số '{shorten(text)}' không hợp lệ", node.start_mark) from None


_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if len(text) > MAX_INT_DIGITS:
        raise _Refused(f"số nguyên quá dài (tối đa {MAX_INT_DIGITS} chữ số)", node.start_mark)
    if not _PLAIN_INT.match(text):
        # YAML 1.1 reads 010 as 8, 1:30 as 90 and 0x1F as 31: a silent change of the figure a user typed.
        raise _Refused(
            f"số '{shorten(text)}' không rõ nghĩa (YAML hiểu là số bát phân, thập lục phân hoặc hệ 60); "
            "hãy viết số thập phân thông thường hoặc đặt trong ngoặc kép",
            node.start_mark,
        )
    return SafeConstructor.construct_yaml_int(loader, node)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode):
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        raise _Refused(f"ngày '{shorten(node.value)}' không tồn tại", node.start_mark) from None


# Only plain data: the non-scalar standard tags (!!binary, !!set, !!omap, !!pairs) have no constructor here, so a
# file that uses them is refused like any other tag.
_LimitedSafeLoader.yaml_constructors = {
    tag: constructor
    for tag, constructor in yaml.SafeLoader.yaml_constructors.items()
    if tag
    not in (
        "tag:yaml.org,2002:binary",
        "tag:yaml.org,2002:set",
        "tag:yaml.org,2002:omap",
        "tag:yaml.org,2002:pairs",
    )
}
_LimitedSafeLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_LimitedSafeLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LimitedSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(f"không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start})", file=str(path))) from None
    if "\x00" in text:
        raise InputError(Problem("tệp chứa ký tự NUL, không phải văn bản", file=str(path)))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_large(path: Path, size: int, limit: int) -> InputError:
    shown = f"{size:,} byte" if size >= 0 else "lớn hơn giới hạn"
    return InputError(Problem(f"tệp quá lớn ({shown}; tối đa {limit:,} byte)".replace(",", "."), file=str(path)))


def read_bytes_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; the limit holds while reading (a file that grows is
    refused too), so no input can make par_score read without end."""
    try:
        with os.fdopen(open_regular(path), "rb", closefd=True) as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > limit:
                raise _too_large(path, size, limit)
            data = stream.read(limit + 1)
    except OSError as exc:
        raise InputError(Problem(f"không đọc được tệp ({os_reason(exc)})", file=str(path))) from None
    if len(data) > limit:
        raise _too_large(path, -1, limit)
    return data


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"khóa '{shorten(key)}' bị lặp lại")
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
            raise InputError(
                Problem(
                    f"dữ liệu quá lớn khi triển khai — tối đa {MAX_NODES:_} phần tử".replace("_", "."), file=str(path)
                )
            )
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


# The parsers' own wording, in Vietnamese; anything else is reported as plain "cú pháp sai" with its position.
_JSON_PROBLEMS = {
    "Expecting property name enclosed in double quotes": "tên khóa phải đặt trong ngoặc kép",
    "Expecting value": "thiếu giá trị hoặc giá trị không hợp lệ",
    "Expecting ',' delimiter": "thiếu dấu phẩy",
    "Expecting ':' delimiter": "thiếu dấu hai chấm",
    "Extra data": "có dữ liệu thừa sau phần kết thúc",
    "Unterminated string starting at": "chuỗi chưa đóng ngoặc kép",
    "Invalid control character at": "chuỗi chứa ký tự điều khiển",
    "Invalid \\escape": "ký tự thoát (\\) không hợp lệ",
}
_YAML_PROBLEMS = {
    "mapping values are not allowed": "dấu ':' không hợp lệ ở đây (giá trị có dấu ':' cần đặt trong ngoặc kép)",
    "did not find expected key": "thiếu khóa hoặc thụt lề không khớp",
    "did not find expected ',' or ']'": "thiếu dấu ',' hoặc ']'",
    "did not find expected ',' or '}'": "thiếu dấu ',' hoặc '}'",
    "did not find expected '-' indicator": "thụt lề danh sách không khớp",
    "found character '\\t' that cannot start any token": "không dùng ký tự tab để thụt lề",
    "found character that cannot start any token": "ký tự không hợp lệ (ví dụ tab dùng để thụt lề)",
    "found undefined alias": "tham chiếu (alias) không tồn tại",
    "found unexpected end of stream": "tệp kết thúc khi chuỗi hoặc khối chưa đóng",
    "found unknown escape character": "ký tự thoát (\\) không hợp lệ",
    "expected <block end>, but found": "thụt lề không khớp",
    "while scanning a quoted scalar": "chuỗi chưa đóng ngoặc kép",
}


def _explain(text: str | None, known: dict[str, str]) -> str:
    text = text or ""
    for english, vietnamese in known.items():
        if text.startswith(english):
            return f"cú pháp sai: {vietnamese}"
    return "cú pháp sai"


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"số nguyên quá dài (tối đa {MAX_INT_DIGITS} chữ số)")
    return int(text)


def _read_json(text: str, path: Path) -> Any:
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=_parse_int,
            object_pairs_hook=_json_pairs,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            Problem(
                f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {_explain(exc.msg, _JSON_PROBLEMS)}",
                file=str(path),
            )
        ) from None
    except RecursionError:
        raise InputError(
            Problem(f"JSON không hợp lệ: cấu trúc lồng quá sâu — tối đa {MAX_DEPTH} cấp", file=str(path))
        ) from None
    except ValueError as exc:  # raised by the hooks above, in Vietnamese
        raise InputError(Problem(f"JSON không hợp lệ: {exc}", file=str(path))) from None


def _read_yaml(text: str, path: Path) -> Any:
    try:
        return yaml.load(text, Loader=_LimitedSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        if isinstance(exc, _Refused):
            problem = exc.problem
        elif "could not determine a constructor" in str(exc):
            problem = "thẻ (tag) YAML không được phép"
        else:
            problem = _explain(exc.problem or exc.context, _YAML_PROBLEMS)
        raise InputError(Problem(f"YAML không hợp lệ{where}: {problem}", file=str(path))) from None
    except RecursionError:
        raise InputError(
            Problem(f"YAML không hợp lệ: cấu trúc lồng quá sâu — tối đa {MAX_DEPTH} cấp", file=str(path))
        ) from None
    except (yaml.YAMLError, ValueError, ArithmeticError):
        raise InputError(Problem("YAML không hợp lệ: cú pháp sai", file=str(path))) from None


def read_structured(path: Path) -> Any:
    """Read one YAML (.yaml/.yml) or JSON (.json) file into plain Python values, NFC-normalised."""
    _check_suffix(path)
    return parse_structured(path, read_bytes_limited(path))


def _check_suffix(path: Path) -> None:
    if path.suffix.lower() not in (".json", ".yaml", ".yml"):
        raise InputError(Problem("định dạng không hỗ trợ (chỉ .yaml, .yml, .json)", file=str(path)))


def parse_structured(path: Path, raw: bytes) -> Any:
    """Parse the bytes of `path` (already read, e.g. to hash exactly what is parsed)."""
    _check_suffix(path)
    suffix = path.suffix.lower()
    text = _decode(path, raw)
    data = _read_json(text, path) if suffix == ".json" else _read_yaml(text, path)
    return _normalise(data, path)
