"""Small readers shared by the service normalisers: ARM JSON as it really comes back
(nulls, empty-string ids, mixed-case keys and types, odd timestamp offsets)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from auditor.model import Binding, Certificate, CustomDomain, DnsRecord, Reference, Resource
from auditor.normalise.hostnames import hostname_of, normalise


@dataclass(frozen=True)
class Extract:
    """What one service resource contributes to the inventory."""

    resources: tuple[Resource, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    custom_domains: tuple[CustomDomain, ...] = ()
    bindings: tuple[Binding, ...] = ()
    references: tuple[Reference, ...] = ()
    dns_records: tuple[DnsRecord, ...] = ()

    def __add__(self, other: Extract) -> Extract:
        return Extract(
            resources=self.resources + other.resources,
            certificates=self.certificates + other.certificates,
            custom_domains=self.custom_domains + other.custom_domains,
            bindings=self.bindings + other.bindings,
            references=self.references + other.references,
            dns_records=self.dns_records + other.dns_records,
        )


def obj(value: Any, *keys: str) -> dict[str, Any]:
    """The nested object at `keys`, or {} when any step is missing, null or not an object."""
    current = value
    for key in keys:
        if not isinstance(current, Mapping):
            return {}
        current = current.get(key)
    return dict(current) if isinstance(current, Mapping) else {}


def items(value: Any, *keys: str) -> list[Any]:
    """The list at `keys`, or [] when missing or null."""
    current = value
    for key in keys:
        if not isinstance(current, Mapping):
            return []
        current = current.get(key)
    return list(current) if isinstance(current, list) else []


def text(value: Any, *keys: str) -> str | None:
    """The non-empty string at `keys`, else None (ARM writes "" where it means nothing)."""
    current = value
    for key in keys:
        if not isinstance(current, Mapping):
            return None
        current = current.get(key)
    if isinstance(current, str) and current.strip():
        return current.strip()
    return None


def ref_id(value: Any, *keys: str) -> str | None:
    """A `{"id": ...}` sub-resource reference's id, else None; `""` counts as none."""
    return text(obj(value, *keys), "id")


def lower_keys(value: Mapping[str, Any]) -> dict[str, Any]:
    """One level of keys lower-cased: DNS record sets mix `TTL`, `ARecords`, `caaRecords`."""
    return {str(k).lower(): v for k, v in value.items()}


def parse_time(value: Any) -> datetime | None:
    """ISO-8601 as Azure writes it (`Z`, `+00:00`, `-00:00`, 7-digit fractions) or epoch
    seconds. None for null, empty or unreadable values."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    if "." in raw:
        head, _, rest = raw.partition(".")
        digits = "".join(itertools.takewhile(str.isdigit, rest))
        raw = f"{head}.{digits[:6]}{rest[len(digits):]}"
    try:
        ts = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def host(value: Any) -> str | None:
    """A host name from a bare name, `host:port` or URL; None for IPs, empty or junk."""
    return hostname_of(value) if isinstance(value, str) else None


def subject_names(subject: str | None) -> tuple[str, ...]:
    """Names in a certificate subject as Azure shows it: `CN=*.a.com, O=..` or a bare name."""
    if not subject:
        return ()
    for part in subject.split(","):
        key, sep, val = part.strip().partition("=")
        if sep and key.strip().upper() == "CN":
            return (normalise(val),) if val.strip() else ()
    bare = subject.strip()
    if "=" in bare or " " in bare:
        return ()
    return (normalise(bare),)


def thumbprint(value: Any) -> str | None:
    """Upper-case hex SHA-1; masked or odd values (APIM shows `..XXXXX..`) are unknown."""
    if not isinstance(value, str):
        return None
    cleaned = value.strip().replace(":", "").upper()
    if len(cleaned) == 40 and all(ch in "0123456789ABCDEF" for ch in cleaned):
        return cleaned
    return None


def tls_version(value: Any) -> str | None:
    """`TLS12`, `TLSv1_2`, `1.2`, `Tls1_0` -> `1.2` style; None when not stated."""
    if not isinstance(value, str):
        return None
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 2:
        return f"{digits[0]}.{digits[1]}"
    return None


def tags_of(row: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in obj(row, "tags").items() if v is not None}


def subscription_of(resource_id: str) -> str:
    return arm_segment(resource_id, "subscriptions") or ""


def arm_segment(resource_id: str, name: str) -> str | None:
    """The value after the segment `name` in an ARM id, matched case-insensitively."""
    parts = [p for p in resource_id.split("/") if p]
    for i in range(len(parts) - 1):
        if parts[i].lower() == name.lower():
            return parts[i + 1]
    return None


def resource_of(row: Mapping[str, Any], *, default_hostnames: tuple[str, ...] = (),
                min_tls_version: str | None = None) -> Resource:
    """The minimal Resource record for an ARM object or Resource Graph row."""
    rid = str(row.get("id") or "")
    return Resource(
        id=rid,
        type=str(row.get("type") or "").lower(),
        name=str(row.get("name") or ""),
        subscription_id=str(row.get("subscriptionId") or subscription_of(rid)),
        location=text(row, "location"),
        tags=tags_of(row),
        default_hostnames=tuple(dict.fromkeys(h for h in default_hostnames if h)),
        min_tls_version=min_tls_version,
    )
