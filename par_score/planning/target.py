"""A target for the self-assessed total: points ("58", "58,5") or a percentage of its applicable maximum ("95%")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from par_score.errors import InputError, Problem
from par_score.numbers import HUNDRED, ZERO, to_decimal, vn


@dataclass(frozen=True)
class Target:
    asked: str
    kind: str  # "points" | "percent"
    value: Decimal

    def points(self, maximum: Decimal) -> Decimal:
        """The self-assessed points the target means, exactly."""
        return self.value if self.kind == "points" else maximum * self.value / HUNDRED

    def describe(self, maximum: Decimal) -> str:
        if self.kind == "points":
            return f"điểm tự đánh giá ≥ {vn(self.value)}/{vn(maximum)}"
        return f"điểm tự đánh giá ≥ {vn(self.value)} % điểm tối đa ({vn(self.points(maximum))}/{vn(maximum)} điểm)"


def parse_target(text: str | Decimal | int | Target) -> Target:
    """A target as typed: a number of points, or a percentage with "%"."""
    if isinstance(text, Target):
        return text
    if isinstance(text, (Decimal, int)) and not isinstance(text, bool):
        return _checked(Target(str(text), "points", Decimal(text)))
    asked = str(text).strip()
    is_percent = asked.endswith("%")
    number = asked[:-1].strip() if is_percent else asked
    if number.count(",") + number.count(".") > 1:
        raise InputError(
            Problem(f"mục tiêu '{asked}' không rõ (chỉ dùng một dấu thập phân, vd. 58,5)", field="--target")
        )
    try:
        value = to_decimal(number)
    except ValueError:
        raise InputError(
            Problem(f"mục tiêu '{asked}' không phải số điểm (vd. 58) hay tỷ lệ (vd. 95%)", field="--target")
        ) from None
    return _checked(Target(asked, "percent" if is_percent else "points", value))


def _checked(target: Target) -> Target:
    if target.value <= ZERO:
        raise InputError(Problem(f"mục tiêu '{target.asked}' phải lớn hơn 0", field="--target"))
    if target.kind == "percent" and target.value > HUNDRED:
        raise InputError(Problem(f"mục tiêu '{target.asked}' vượt 100 %", field="--target"))
    return target


def check_within(target: Target, maximum: Decimal) -> None:
    if target.kind == "points" and target.value > maximum:
        raise InputError(
            Problem(
                f"mục tiêu {vn(target.value)} điểm vượt điểm tự đánh giá tối đa áp dụng ({vn(maximum)} điểm)",
                field="--target",
            )
        )
