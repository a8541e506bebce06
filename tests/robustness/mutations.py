"""Variants of a real payload, the ways ARM and Key Vault really vary what they send."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from auditor.normalise.hostnames import hostname_of

Path = tuple[str | int, ...]
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_EPOCH_KEYS = {"nbf", "exp", "created", "updated"}


def leaves(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) below `value`, containers included, root excluded."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), item
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield (*path, i), item
            yield from leaves(item, (*path, i))


def _set(payload: Any, path: Path, value: Any) -> Any:
    out = copy.deepcopy(payload)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return out


def _drop(payload: Any, path: Path) -> Any:
    out = copy.deepcopy(payload)
    target = out
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]
    return out


def _case_id(value: str) -> str:
    return value.replace("/resourceGroups/", "/RESOURCEGROUPS/").replace("/resourcegroups/", "/ResourceGroups/")


def _iso_forms(value: str) -> list[str]:
    from auditor.normalise.timestamps import parse_time
    when = parse_time(value)
    assert when is not None
    base = when.strftime("%Y-%m-%dT%H:%M:%S")
    return [f"{base}Z", f"{base}+00:00", f"{base}-00:00", f"{base}.1234567Z", f"{base}.0000000+00:00",
            f"{base}.123Z", base]


def variants(payload: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(what changed, the changed payload). Deterministic."""
    protected = {("id",), ("type",), ("name",)}
    for path, value in list(leaves(payload)):
        if path in protected:
            continue
        where = "/".join(map(str, path))
        if isinstance(path[-1], str):
            yield f"missing {where}", _drop(payload, path)
        yield f"null {where}", _set(payload, path, None)
        if isinstance(value, str):
            yield f'"" {where}', _set(payload, path, "")
            host = hostname_of(value) if "/" not in value and "=" not in value else None
            if host:
                yield f"upper {where}", _set(payload, path, value.upper())
                yield f"dot {where}", _set(payload, path, value + ".")
            if value.startswith("/subscriptions/"):
                yield f"id case {where}", _set(payload, path, _case_id(value).upper())
            if _ISO.match(value):
                for form in _iso_forms(value):
                    yield f"date {form} {where}", _set(payload, path, form)
        if path[-1] in _EPOCH_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
            when = datetime.fromtimestamp(value, UTC)
            yield f"epoch float {where}", _set(payload, path, float(value))
            yield f"epoch string {where}", _set(payload, path, str(value))
            yield f"epoch iso {where}", _set(payload, path, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    for key in ("id", "type"):
        if isinstance(payload.get(key), str):
            yield f"upper {key}", {**payload, key: payload[key].upper()}
            yield f"lower {key}", {**payload, key: payload[key].lower()}
    if isinstance(payload.get("id"), str):
        yield "resourcegroups case", {**payload, "id": _case_id(payload["id"])}
    if isinstance(payload.get("type"), str) and payload["type"].count("/") == 1:
        ns, kind = payload["type"].split("/")
        yield "type title case", {**payload, "type": f"{ns}/{kind[0].upper()}{kind[1:]}"}
