"""Proposed changes in words a department head can act on ("Tăng số hồ sơ giải quyết đúng hạn thêm 13 …", "Ban
hành Kế hoạch chậm nhất ngày 31/12/2024", "Gửi báo cáo quý IV đúng hạn, chậm nhất ngày 12/12/2024")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from par_score.evidence.model import DOCUMENT_KINDS
from par_score.numbers import MINUS
from par_score.numbers import vn_signed as vn  # sentences: a real minus sign, never a hyphen
from par_score.rules.variables import show_value
from par_score.scales import Change, Figure, IssueDocument, SendReport, SetFigure


@dataclass(frozen=True)
class LeafWords:
    """What the words of a leaf's changes draw on: the kind of document it needs, its earliest document, and the
    names of its figure's terms when its required evidence spells them ("…: số hồ sơ đúng hạn / số hồ sơ")."""

    document_kind: str
    earliest_document: dt.date | None
    terms: tuple[str, str] | None


def figure_terms(required_evidence: str) -> tuple[str, str] | None:
    """(numerator, denominator) as the required evidence names them after its last colon, when it names exactly
    two terms separated by " / "."""
    _, colon, tail = required_evidence.rpartition(": ")
    if not colon:
        return None
    parts = [p.strip().rstrip(".;") for p in tail.split(" / ")]
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


def day(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


def document_label(kind: str) -> str:
    return "văn bản" if kind == "van_ban_khac" else DOCUMENT_KINDS[kind]


def change_text(change: Change, words: LeafWords) -> str:
    if isinstance(change, IssueDocument):
        text = f"Ban hành {document_label(words.document_kind)} chậm nhất ngày {day(change.by)}"
        if words.earliest_document is not None and words.earliest_document > change.by:
            text += f" (văn bản hiện có ngày {day(words.earliest_document)})"
        return text
    if isinstance(change, SendReport):
        name = change.period_name[:1].lower() + change.period_name[1:]
        if change.on_time:
            return f"Gửi báo cáo {name} đúng hạn, chậm nhất ngày {day(change.by)}"
        return f"Gửi báo cáo {name} (đã quá hạn {day(change.due)}, tính là trễ hạn) chậm nhất ngày {day(change.by)}"
    return _figure_text(change, words)


_MINUS_NUMBER = re.compile(r"(?<![\w,.])-(?=\d)")


def _goal(change: SetFigure) -> str:
    # The condition's words are shared with ket-qua.json (plain hyphen); a sentence gets a real minus sign.
    return _MINUS_NUMBER.sub(MINUS, change.goal.describe())


def _figure_text(change: SetFigure, words: LeafWords) -> str:
    after = change.after
    goal = _goal(change)
    if change.before is None:
        if change.how == "count":
            return f"Bổ sung số liệu còn thiếu: {_shown(change.how, after)} ({goal}), chậm nhất ngày {day(change.by)}"
        return f"Bổ sung số liệu còn thiếu, đạt {goal}, chậm nhất ngày {day(change.by)}"
    before = change.before
    by = f", chậm nhất ngày {day(change.by)}"
    if change.how == "numerator":
        assert before.numerator is not None and after.numerator is not None and after.denominator is not None
        delta = after.numerator - before.numerator
        numerator, denominator = words.terms or ("tử số", "mẫu số")
        over = _over(after.denominator, denominator, named=words.terms is not None)
        verb = "Tăng" if delta > 0 else "Giảm"
        amount = "thêm" if delta > 0 else "bớt"
        direction = "lên" if delta > 0 else "xuống"
        return (
            f"{verb} {numerator} {amount} {vn(abs(delta))} (từ {vn(before.numerator)} {direction} "
            f"{vn(after.numerator)}) trên {over}, để {goal}{by}"
        )
    if change.how == "both":
        assert before.numerator is not None and after.numerator is not None and after.denominator is not None
        delta = after.numerator - before.numerator
        numerator, denominator = words.terms or ("tử số", "mẫu số")
        return (
            f"Tăng cả {numerator} và {denominator} thêm {vn(delta)} (thành {vn(after.numerator)}/"
            f"{vn(after.denominator)}), để {goal}{by}"
        )
    if change.how in ("percent", "value"):
        label = "tỷ lệ" if change.how == "percent" else "giá trị"
        old, new = _shown(change.how, before), _shown(change.how, after)
        verb, direction = ("Nâng", "lên") if _number(after) > _number(before) else ("Hạ", "xuống")
        return f"{verb} {label} từ {old} {direction} {new}, để {goal}{by}"
    assert change.how == "count"
    delta = _number(after) - _number(before)
    if delta > 0:
        return f"Thêm {vn(delta)} trường hợp (từ {vn(_number(before))} lên {vn(_number(after))}), để {goal}{by}"
    return f"Không để phát sinh {vn(-delta)} trường hợp (từ {vn(_number(before))} xuống {vn(_number(after))})"


def _over(denominator: Decimal, name: str, *, named: bool) -> str:
    if not named:
        return f"mẫu số {vn(denominator)}"
    if name.replace(" ", "").isdigit():
        return vn(denominator)
    return f"{vn(denominator)} ({name})"


def _number(figure: Figure) -> Decimal:
    value = figure.percent if figure.percent is not None else figure.value
    assert value is not None
    return value


def _shown(how: str, figure: Figure) -> str:
    if how == "percent":
        return show_value("percent", figure.percent)
    if how == "count":
        return f"{vn(figure.value)} trường hợp"
    if figure.numerator is not None:
        return f"{vn(figure.numerator)}/{vn(figure.denominator)}"
    return vn(figure.value)


def changes_text(changes: tuple[Change, ...], words: LeafWords) -> str:
    return "; ".join(change_text(change, words) for change in changes)


def explanation_text(evidence_until: dt.date) -> str:
    """What a leaf missing its evidence still needs: the evidence if it exists, else a giải trình (lower case: it
    follows a heading; `sentence()` starts a row with it)."""
    return (
        f"nếu đã có văn bản, số liệu: bổ sung vào tài liệu kiểm chứng chậm nhất ngày {day(evidence_until)}; nếu "
        "không có: lập văn bản giải trình, chỉ cần văn bản, không thêm điểm"
    )


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
