"""The same description as a TOML file: tables and arrays of tables named like the dataclass
fields (`[[vaults]]`, `[[vaults.certificates]]`, `[[sites.host_names]]`, ...)."""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from auditor.errors import EstateError
from auditor.estate.builder.spec import EstateSpec


def load_spec(path: Path) -> EstateSpec:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise EstateError(f"cannot read estate description {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise EstateError(f"estate description {path} is not valid TOML: {exc}") from None
    try:
        return spec_from_dict(raw)
    except EstateError as exc:
        raise EstateError(f"estate description {path}: {exc}") from None


def spec_from_dict(raw: Mapping[str, Any]) -> EstateSpec:
    result = _convert(EstateSpec, raw, "")
    assert isinstance(result, EstateSpec)
    return result


def _convert(kind: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(kind)
    if dataclasses.is_dataclass(kind):
        return _dataclass(kind, value, where)
    if kind is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if value is None and type(None) in options:
            return None
        for option in options:
            if option is not type(None) and _matches(option, value):
                return _convert(option, value, where)
        raise EstateError(f"{where}: {value!r} has the wrong type")
    if origin is tuple:
        item = typing.get_args(kind)[0]
        if not isinstance(value, list):
            raise EstateError(f"{where}: must be a list")
        return tuple(_convert(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin in (Mapping, dict) or kind is Mapping:
        if not isinstance(value, dict):
            raise EstateError(f"{where}: must be a table")
        args = typing.get_args(kind)
        return {str(k): _convert(args[1], v, f"{where}.{k}") if args else v for k, v in value.items()}
    if not _matches(kind, value):
        raise EstateError(f"{where}: {value!r} must be {getattr(kind, '__name__', kind)}")
    return float(value) if kind is float else value


def _matches(kind: Any, value: Any) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is str:
        return isinstance(value, str)
    return True


def _dataclass(cls: Any, value: Any, where: str) -> Any:
    if not isinstance(value, dict):
        raise EstateError(f"{where}: must be a table")
    label = value.get("name") or value.get("host")
    where = f"{where} ({label})" if isinstance(label, str) and where else where
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(value) - names)
    if unknown:
        raise EstateError(f"{where or 'top level'}: unknown key {unknown[0]!r}")
    required = [f.name for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    missing = [n for n in required if n not in value]
    if missing:
        raise EstateError(f"{where or 'top level'}: missing key {missing[0]!r}")
    return cls(**{k: _convert(hints[k], v, f"{where}.{k}" if where else k) for k, v in value.items()})
