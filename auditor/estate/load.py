"""Reads an estate directory (CONTRACT section 2) into memory, checking its shape.

Everything wrong with an estate surfaces here as one EstateError line, before any
server starts: a half-served estate would make the audit's gaps meaningless.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from auditor.errors import EstateError
from auditor.estate.limits import Limits, check_access, parse_limits
from auditor.estate.management_groups import ManagementGroups, parse_management_groups
from auditor.normalise.validate import type_from_id

ESTATE_FORMAT = "auditor-estate/1"
FAULT_SERVICES = {"arm", "arg", "keyvault", "graph", "dns", "tls", "logs"}
FAULT_STATUSES = {403, 404, 429, 500, 503, "timeout", "servfail", "malformed", "reset", "refused"}
# Deeper than any real ARM or Key Vault payload; deeper values would exhaust the SDKs'
# recursive (de)serialisers mid-collection, so the estate is refused up front.
MAX_JSON_DEPTH = 64


@dataclass(frozen=True)
class Fault:
    service: str
    match: str
    status: int | str
    times: int | None = None
    retry_after: float | None = None


@dataclass
class Estate:
    root: Path
    tenant_id: str
    as_of: datetime
    subscriptions: list[dict[str, Any]]
    arm: list[dict[str, Any]] = field(default_factory=list)
    # vault name (lower-case) -> certificate name (lower-case) -> list of bundles
    keyvault: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    zone_files: list[Path] = field(default_factory=list)
    tls_dir: Path | None = None
    logs_dir: Path | None = None        # logs/<workspace customerId>/<Table>.jsonl
    axfr_zones: frozenset[str] = frozenset()           # zones whose dns/<zone>.json says {"axfr": true}
    names_taken_elsewhere: list[str] = field(default_factory=list)   # held by resources of other tenants
    faults: list[Fault] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    management_groups: ManagementGroups | None = None   # None: only the tenant root group

    @property
    def config_path(self) -> Path | None:
        path = self.root / "auditor.toml"
        return path if path.exists() else None

    @property
    def subscription_ids(self) -> list[str]:
        return [s["subscriptionId"] for s in self.subscriptions]

    @cached_property
    def hierarchy(self) -> ManagementGroups:
        """The management groups, or only the tenant root group holding every subscription."""
        return self.management_groups or ManagementGroups(self.tenant_id, [], self.subscriptions)

    @cached_property
    def hidden_subscription_ids(self) -> frozenset[str]:
        """Lower-case ids of the subscriptions where the audit identity holds no role."""
        return frozenset(str(s["subscriptionId"]).lower() for s in self.subscriptions if s.get("access") == "none")


def parse_timestamp(value: str) -> datetime:
    """ISO-8601 as Azure writes it: `Z`, `+00:00`, `-00:00`, 7-digit fractions."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if "." in text:
        head, _, rest = text.partition(".")
        digits = "".join(ch for ch in rest if ch.isdigit())
        tail = rest[len(digits):]
        text = f"{head}.{digits[:6]}{tail}"
    ts = datetime.fromisoformat(text)
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def load_estate(root: Path) -> Estate:
    root = Path(root)
    if not root.is_dir():
        raise EstateError(f"estate directory not found: {root}")
    meta = _read_json(root / "estate.json")
    if not isinstance(meta, dict) or meta.get("format") != ESTATE_FORMAT:
        raise EstateError(f"{root / 'estate.json'}: format must be {ESTATE_FORMAT!r}")
    try:
        as_of = parse_timestamp(str(meta["as_of"]))
        tenant_id = str(meta["tenant_id"])
        subscriptions = list(meta["subscriptions"])
        for sub in subscriptions:
            if not isinstance(sub, dict) or not sub.get("subscriptionId"):
                raise ValueError("every subscription needs a subscriptionId")
    except (KeyError, TypeError, ValueError) as exc:
        raise EstateError(f"{root / 'estate.json'}: {exc}") from None
    where = str(root / "estate.json")
    for sub in subscriptions:
        check_access(sub, where)
    estate = Estate(root=root, tenant_id=tenant_id, as_of=as_of, subscriptions=subscriptions,
                    limits=parse_limits(meta.get("limits"), where))
    estate.arm = _load_arm(root / "arm")
    estate.keyvault = _load_keyvault(root / "keyvault")
    dns_dir = root / "dns"
    estate.zone_files = sorted(dns_dir.glob("*.zone")) if dns_dir.is_dir() else []
    for zone_file in estate.zone_files:
        _check_text(zone_file)
    estate.axfr_zones = _load_axfr(dns_dir)
    estate.names_taken_elsewhere = _names_taken_elsewhere(meta, root / "estate.json")
    estate.management_groups = parse_management_groups(meta.get("management_groups"), tenant_id, subscriptions,
                                                       where)
    estate.tls_dir = root / "tls" if (root / "tls").is_dir() else None
    estate.logs_dir = root / "logs" if (root / "logs").is_dir() else None
    estate.faults = _load_faults(root / "faults.json")
    return estate


def _load_axfr(dns_dir: Path) -> frozenset[str]:
    """dns/<zone>.json {"axfr": true}: that zone's server answers a zone transfer."""
    if not dns_dir.is_dir():
        return frozenset()
    zones: set[str] = set()
    for path in sorted(dns_dir.glob("*.json")):
        data = _read_json(path)
        if not isinstance(data, dict) or not isinstance(data.get("axfr", False), bool):
            raise EstateError(f'{path}: must be an object such as {{"axfr": true}}')
        if data.get("axfr"):
            zones.add(path.name.removesuffix(".json").lower().rstrip("."))
    return frozenset(zones)


def _names_taken_elsewhere(meta: dict[str, Any], where: Path) -> list[str]:
    names = meta.get("names_taken_elsewhere", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise EstateError(f"{where}: names_taken_elsewhere must be a list of host names")
    return [n.strip().rstrip(".").lower() for n in names]


def _read_json(path: Path) -> Any:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EstateError(f"missing {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EstateError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise EstateError(f"{path} is not valid JSON: line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise EstateError(f"{path}: JSON nested too deeply to read") from None
    depth = json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise EstateError(f"{path}: JSON nested {depth} levels deep, more than {MAX_JSON_DEPTH}")
    return data


def json_depth(value: Any) -> int:
    """Nesting depth of a JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return deepest


def _check_text(path: Path) -> None:
    """A zone file must be text: binary garbage is named here, not deep in the DNS server."""
    try:
        path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise EstateError(f"cannot read zone file {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise EstateError(f"zone file {path} is not text (byte {exc.start} is not UTF-8)") from None


def _load_arm(folder: Path) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    if not folder.is_dir():
        return objects
    for path in sorted(folder.rglob("*.json")):
        data = _read_json(path)
        items = data if isinstance(data, list) else [data]
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
                raise EstateError(f"{path}: every ARM object needs a non-empty string id")
            if not isinstance(item.get("type"), str):
                # Some list answers carry no type per item (FrontendEndpoints_ListByFrontDoor):
                # ARM's type is the id's provider path, so take it from there.
                derived = type_from_id(item["id"])
                if derived is None:
                    raise EstateError(f"{path}: ARM object {item['id']} has no type and its id names none")
                item = {**item, "type": derived}
            objects.append(item)
    return objects


def _load_keyvault(folder: Path) -> dict[str, dict[str, list[dict[str, Any]]]]:
    vaults: dict[str, dict[str, list[dict[str, Any]]]] = {}
    if not folder.is_dir():
        return vaults
    for vault_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        certs: dict[str, list[dict[str, Any]]] = {}
        for cert_dir in sorted(p for p in vault_dir.iterdir() if p.is_dir()):
            versions = []
            for path in sorted(cert_dir.glob("*.json")):
                bundle = _read_json(path)
                if not isinstance(bundle, dict) or not isinstance(bundle.get("attributes"), dict):
                    raise EstateError(f"{path}: a CertificateBundle needs attributes")
                versions.append(bundle)
            if versions:
                certs[cert_dir.name.lower()] = versions
        vaults[vault_dir.name.lower()] = certs
    return vaults


def _load_faults(path: Path) -> list[Fault]:
    if not path.exists():
        return []
    data = _read_json(path)
    if not isinstance(data, list):
        raise EstateError(f"{path}: must be a JSON array of faults")
    faults = []
    for i, item in enumerate(data):
        where = f"{path} fault #{i + 1}"
        if not isinstance(item, dict):
            raise EstateError(f"{where}: must be an object")
        service, status = str(item.get("service")), item.get("status")
        if service not in FAULT_SERVICES:
            raise EstateError(f"{where}: service must be one of {sorted(FAULT_SERVICES)}")
        if not isinstance(status, int | str) or status not in FAULT_STATUSES:
            raise EstateError(f"{where}: unsupported status {status!r}")
        times = item.get("times")
        if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 0):
            raise EstateError(f"{where}: times must be a whole number")
        retry_after = item.get("retry_after")
        if retry_after is not None and not isinstance(retry_after, int | float):
            raise EstateError(f"{where}: retry_after must be a number of seconds")
        faults.append(Fault(service=service, match=str(item.get("match", "")), status=status,
                            times=times, retry_after=retry_after))
    return faults
