"""Evidence records between par_score's models and the database's JSON.

Stored: the record's JSON dump (decimals as exact text "97.5", dates ISO "2024-01-04"), defaults left out. Typed: the
same data with Decimal and date objects, ready for api.bundle_from_data. The conversion follows the model's field
types, so a decimal never goes back through a text parser (which may read "1.234" as a thousands-separated number).
"""

from __future__ import annotations

import datetime as dt
import types
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from par_score.evidence.model import ReportInfo
from par_score.evidence.parts import RECORD_MODELS
from par_score.numbers import plain


def stored(record: BaseModel) -> dict[str, Any]:
    """The stored form of a validated record: canonical text for decimals (5928.0 and 5928 are both "5928", as the
    CLI writes them), ISO dates."""
    return _canonical(record.model_dump(exclude_defaults=True))


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def typed(section: str, data: dict[str, Any]) -> dict[str, Any]:
    return _model_values(RECORD_MODELS[section], data)


def typed_report(data: dict[str, Any]) -> dict[str, Any]:
    return _model_values(ReportInfo, data)


def _model_values(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    fields = model.model_fields
    return {name: _value(fields[name].annotation, value) if name in fields else value for name, value in data.items()}


def _value(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(annotation)
    if origin is Annotated:
        return _value(get_args(annotation)[0], value)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        for option in options:
            if _fits(option, value):
                return _value(option, value)
        return value
    if origin is list and isinstance(value, list):
        (item,) = get_args(annotation)
        return [_value(item, v) for v in value]
    if origin is dict and isinstance(value, dict):
        _, item = get_args(annotation)
        return {k: _value(item, v) for k, v in value.items()}
    if annotation is Decimal and isinstance(value, (str, int)) and not isinstance(value, bool):
        return Decimal(str(value))
    if annotation is dt.date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict):
        return _model_values(annotation, value)
    return value


def _fits(annotation: Any, value: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _fits(get_args(annotation)[0], value)
    if origin is list:
        return isinstance(value, list)
    if origin is dict:
        return isinstance(value, dict)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return isinstance(value, dict)
    if annotation in (Decimal, dt.date):
        return isinstance(value, str)
    return True
