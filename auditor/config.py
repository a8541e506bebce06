"""auditor.toml: what to audit and how. Every key is optional; defaults follow the contract.

Unknown keys are an error, so a typo never silently turns a check off.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from auditor.cloud import CLOUDS, CloudEndpoints
from auditor.errors import ConfigError
from auditor.model.common import Severity


@dataclass(frozen=True)
class ScopeConfig:
    subscriptions: tuple[str, ...] = ()        # empty: every subscription the identity can see
    management_groups: tuple[str, ...] = ()
    exclude_subscriptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class CollectConfig:
    concurrency: int = 8                 # ARM / Key Vault requests in flight
    subscription_batch: int = 100        # subscriptions per Resource Graph query
    retries: int = 4
    max_retry_wait_seconds: float = 60.0
    request_timeout_seconds: float = 30.0
    dns_nameservers: tuple[str, ...] = ()   # empty: the system's
    dns_timeout_seconds: float = 3.0
    dns_concurrency: int = 32
    tls_timeout_seconds: float = 5.0
    tls_concurrency: int = 16
    graph: bool = True                   # read Entra ID app registrations' redirect URIs
    deadline_seconds: float = 2700.0     # whole collection (under the Function's 1 h); then gaps


# (minimum, maximum, minimum allowed itself) for every number in [collect]: a value out of
# range would hang a run (inf), read nothing (0) or fail inside a library (-2).
COLLECT_RANGES: dict[str, tuple[float, float, bool]] = {
    "concurrency": (1, 1024, True),
    "subscription_batch": (1, 1000, True),          # Resource Graph takes at most 1000 per query
    "retries": (0, 20, True),
    "max_retry_wait_seconds": (0, 3600, True),
    "request_timeout_seconds": (0, 3600, False),
    "dns_timeout_seconds": (0, 600, False),
    "dns_concurrency": (1, 1024, True),
    "tls_timeout_seconds": (0, 600, False),
    "tls_concurrency": (1, 1024, True),
    "deadline_seconds": (0, 86400, False),
}


@dataclass(frozen=True)
class ThresholdsConfig:
    critical_days: int = 7
    high_days: int = 14
    medium_days: int = 30
    lifetime_fraction: float = 1 / 3     # less than this fraction of the lifetime left: medium
    app_service_sync_hours: int = 24
    front_door_sync_hours: int = 72


@dataclass(frozen=True)
class DecommissionConfig:
    retired_domains: tuple[str, ...] = ()
    retired_tag: str = "auditor:retired"


@dataclass(frozen=True)
class LogsConfig:
    # Live-traffic evidence from Log Analytics for retired domains and decommission targets;
    # 0 turns the logs stage off.
    traffic_window_days: int = 7
    concurrency: int = 5                 # Log Analytics runs at most 5 queries at once per user


@dataclass(frozen=True)
class DnsConfig:
    """DNS zones held outside Azure DNS (CONTRACT section 6), and how the audit lists them."""

    zone_files: tuple[str, ...] = ()               # RFC 1035 exports; paths relative to the config file
    zone_transfer: tuple[str, ...] = ()            # zones listed by AXFR from their NS servers
    zone_transfer_tsig_key_env: str = ""           # env var holding "[algorithm:]name:base64secret"
    unlisted_zones_acknowledged: tuple[str, ...] = ()  # zones knowingly left unlisted: not exit 3


@dataclass(frozen=True)
class Suppression:
    rule: str
    subject: str
    reason: str
    expires: date


@dataclass(frozen=True)
class ReportConfig:
    fail_on: Severity = Severity.HIGH


@dataclass(frozen=True)
class HistoryConfig:
    path: str = "auditor-history.sqlite"
    enabled: bool = True


@dataclass(frozen=True)
class Webhook:
    kind: str                 # teams | slack | json
    url: str | None = None    # or url_env; never printed
    url_env: str | None = None


@dataclass(frozen=True)
class NotifyConfig:
    min_severity: Severity = Severity.HIGH
    only_new: bool = True
    webhooks: tuple[Webhook, ...] = ()


@dataclass(frozen=True)
class Config:
    cloud: CloudEndpoints
    scope: ScopeConfig = field(default_factory=ScopeConfig)
    collect: CollectConfig = field(default_factory=CollectConfig)
    thresholds: ThresholdsConfig = field(default_factory=ThresholdsConfig)
    decommission: DecommissionConfig = field(default_factory=DecommissionConfig)
    dns: DnsConfig = field(default_factory=DnsConfig)
    suppressions: tuple[Suppression, ...] = ()
    report: ReportConfig = field(default_factory=ReportConfig)
    history: HistoryConfig = field(default_factory=HistoryConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    logs: LogsConfig = field(default_factory=LogsConfig)
    source: Path | None = None


def default_config() -> Config:
    return Config(cloud=CLOUDS["azurecloud"])


def load_config(path: Path | None, *, required: bool = False) -> Config:
    """Read auditor.toml. A missing file gives the defaults unless `required`."""
    if path is None or not path.exists():
        if required and path is not None:
            raise ConfigError(f"config file not found: {path}")
        return default_config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from exc
    try:
        return parse_config(raw, source=path)
    except ConfigError as exc:
        raise ConfigError(f"config {path}: {exc}") from exc


def parse_config(raw: dict[str, Any], *, source: Path | None = None) -> Config:
    known = {"cloud", "scope", "collect", "thresholds", "decommission", "suppressions",
             "report", "history", "notify", "logs", "dns"}
    _no_unknown(raw, known, "top level")
    cloud_name = str(raw.get("cloud", {}).get("name", "AzureCloud")).lower()
    if cloud_name not in CLOUDS:
        raise ConfigError(f"cloud.name must be one of {', '.join(c.name for c in CLOUDS.values())}")
    notify_raw = dict(raw.get("notify", {}))
    _no_unknown(notify_raw, {"min_severity", "only_new", "webhooks"}, "notify")
    webhooks = tuple(_section(Webhook, w, "notify.webhooks") for w in notify_raw.get("webhooks", []))
    for hook in webhooks:
        if hook.kind not in {"teams", "slack", "json"}:
            raise ConfigError(f"notify.webhooks kind must be teams, slack or json, not {hook.kind!r}")
        if not hook.url and not hook.url_env:
            raise ConfigError("notify.webhooks needs url or url_env")
    thresholds = _section(ThresholdsConfig, raw.get("thresholds", {}), "thresholds")
    if not thresholds.critical_days <= thresholds.high_days <= thresholds.medium_days:
        raise ConfigError("thresholds: need critical_days <= high_days <= medium_days")
    if not 0 < thresholds.lifetime_fraction < 1:
        raise ConfigError("thresholds.lifetime_fraction must be between 0 and 1")
    logs = _section(LogsConfig, raw.get("logs", {}), "logs")
    if not 0 <= logs.traffic_window_days <= 730:
        raise ConfigError("logs.traffic_window_days must be between 0 and 730 (Log Analytics' longest retention)")
    if not 1 <= logs.concurrency <= 5:
        raise ConfigError("logs.concurrency must be between 1 and 5 (Log Analytics' concurrent query limit)")
    decommission = _section(DecommissionConfig, raw.get("decommission", {}), "decommission")
    decommission = DecommissionConfig(
        retired_domains=tuple(d.lower().rstrip(".") for d in decommission.retired_domains),
        retired_tag=decommission.retired_tag,
    )
    dns = _section(DnsConfig, raw.get("dns", {}), "dns")
    dns = DnsConfig(
        zone_files=dns.zone_files,
        zone_transfer=tuple(z.lower().rstrip(".") for z in dns.zone_transfer),
        zone_transfer_tsig_key_env=dns.zone_transfer_tsig_key_env,
        unlisted_zones_acknowledged=tuple(z.lower().rstrip(".") for z in dns.unlisted_zones_acknowledged),
    )
    return Config(
        cloud=CLOUDS[cloud_name],
        scope=_section(ScopeConfig, raw.get("scope", {}), "scope"),
        collect=_checked_collect(_section(CollectConfig, raw.get("collect", {}), "collect")),
        thresholds=thresholds,
        decommission=decommission,
        dns=dns,
        suppressions=tuple(_section(Suppression, s, "suppressions") for s in raw.get("suppressions", [])),
        report=_section(ReportConfig, raw.get("report", {}), "report"),
        history=_section(HistoryConfig, raw.get("history", {}), "history"),
        notify=NotifyConfig(
            min_severity=_severity(notify_raw.get("min_severity", "high"), "notify.min_severity"),
            only_new=bool(notify_raw.get("only_new", True)),
            webhooks=webhooks,
        ),
        logs=logs,
        source=source,
    )


def _checked_collect(collect: CollectConfig) -> CollectConfig:
    for name, (low, high, low_allowed) in COLLECT_RANGES.items():
        value = getattr(collect, name)
        above_low = value >= low if low_allowed else value > low
        if not (above_low and value <= high):   # also false for nan
            bound = f"at least {low:g}" if low_allowed else f"more than {low:g}"
            raise ConfigError(f"collect.{name} must be {bound} and at most {high:g}, not {value!r}")
    return collect


def _no_unknown(raw: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"unknown key {unknown[0]!r} in {where}")


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ConfigError(f"{where} must be one of {', '.join(s.value for s in Severity)}") from None


def _section(cls: type, raw: Any, where: str) -> Any:
    """Build a frozen config dataclass from a TOML table, checking names and types."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table")
    allowed = {f.name: f for f in fields(cls)}
    _no_unknown(raw, set(allowed), where)
    values: dict[str, Any] = {}
    for name, value in raw.items():
        kind = str(allowed[name].type)
        try:
            if kind.startswith("tuple"):
                if not isinstance(value, list):
                    raise TypeError
                values[name] = tuple(str(v) for v in value)
            elif kind == "Severity":
                values[name] = _severity(value, f"{where}.{name}")
            elif kind == "date":
                values[name] = value if isinstance(value, date) else date.fromisoformat(str(value))
            elif kind == "int":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise TypeError
                values[name] = value
            elif kind == "float":
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise TypeError
                values[name] = float(value)
            elif kind == "bool":
                if not isinstance(value, bool):
                    raise TypeError
                values[name] = value
            else:
                if not isinstance(value, str):
                    raise TypeError
                values[name] = value
        except (TypeError, ValueError):
            raise ConfigError(f"{where}.{name} has the wrong type or format: {value!r}") from None
    missing = [f.name for f in fields(cls) if f.name not in values and f.default is f.default_factory]
    try:
        return cls(**values)
    except TypeError:
        raise ConfigError(f"{where} is missing a required key ({', '.join(missing) or 'see docs'})") from None
