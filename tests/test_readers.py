"""Input files are read as the user wrote them, or refused with a Vietnamese message and a position."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from par_score.errors import InputError
from par_score.io.readers import read_structured


def read(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_structured(path)


def refused(tmp_path: Path, name: str, text: str) -> str:
    with pytest.raises(InputError) as caught:
        read(tmp_path, name, text)
    return caught.value.render()


def test_decimals_are_read_exactly_from_their_text(tmp_path):
    data = read(tmp_path, "a.yaml", "a: 0.1\nb: 79.99\nc: 1_000\n")
    assert data == {"a": Decimal("0.1"), "b": Decimal("79.99"), "c": 1000}


@pytest.mark.parametrize("text", ["a: 010\n", "a: 0x1F\n", "a: 1:30\n", "a: -017\n"])
def test_yaml_1_1_integers_that_silently_change_a_figure_are_refused(tmp_path, text):
    message = refused(tmp_path, "a.yaml", text)
    assert "dòng 1" in message and "không rõ nghĩa" in message


@pytest.mark.parametrize(
    "name, text, words",
    [
        ("a.json", '{"a": 1,}', "tên khóa phải đặt trong ngoặc kép"),
        ("a.json", '{"a" 1}', "thiếu dấu hai chấm"),
        ("a.yaml", "a: b: c\n", "dấu ':' không hợp lệ"),
        ("a.yaml", "a: [1, 2\n", "thiếu dấu ',' hoặc ']'"),
    ],
)
def test_syntax_errors_are_explained_in_vietnamese_with_their_position(tmp_path, name, text, words):
    message = refused(tmp_path, name, text)
    assert words in message and "dòng" in message and "cột" in message
    assert "Expecting" not in message and "expected" not in message
