"""Enums and small records shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical 4 ... info 0."""
        return _SEVERITY_RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Source(StrEnum):
    """Where a fact, or a gap, comes from."""

    ARG = "arg"
    ARM = "arm"
    KEYVAULT = "keyvault"
    GRAPH = "graph"
    DNS = "dns"
    DNS_ZONE = "dns-zone"    # a zone that matters whose records could not be listed
    TLS = "tls"
    SUBSCRIPTION = "subscription"   # in scope, but not visible to the audit identity
    LOGS = "logs"           # Log Analytics: access logs, diagnostic settings


class GapReason(StrEnum):
    FORBIDDEN = "forbidden"          # 401/403: the identity may not read it
    NOT_FOUND = "not-found"          # 404 on something the inventory says exists
    THROTTLED = "throttled"          # 429 past the retry budget
    TIMEOUT = "timeout"
    UNAVAILABLE = "unavailable"      # 5xx past retries, connection refused or reset
    MALFORMED = "malformed"          # an answer that could not be parsed
    TRUNCATED = "truncated"          # a listing that stopped before its end
    NETWORK_BLOCKED = "network-blocked"  # a Key Vault firewall or private endpoint refused the connection
    TOO_LARGE = "too-large"          # one item over the service's answer limit
    NOT_LOGGED = "not-logged"        # a resource sends its access logs to no workspace
    NOT_LISTABLE = "not-listable"    # a zone outside Azure DNS that no zone file or transfer supplied
    STALE = "stale"                  # a supplied zone file that disagrees with the zone's servers


@dataclass(frozen=True, slots=True)
class CoverageGap:
    """Something in scope that could not be read. Becomes a `coverage-gap` finding."""

    source: Source
    target: str        # vault name, subscription id, resource id, zone, host name
    reason: GapReason
    detail: str = ""
    # The user said in config that they know (dns.unlisted_zones_acknowledged): still reported,
    # no longer makes the audit incomplete; a decommission check still counts it.
    acknowledged: bool = False


class ServiceKind(StrEnum):
    """The Azure service that serves a host name or holds a certificate."""

    FRONT_DOOR = "front-door"                # Front Door Standard/Premium (Microsoft.Cdn/profiles)
    FRONT_DOOR_CLASSIC = "front-door-classic"
    CDN = "cdn"                              # CDN classic endpoints
    APP_SERVICE = "app-service"              # web apps, function apps, slots
    API_MANAGEMENT = "api-management"
    STATIC_WEB_APP = "static-web-app"
    CONTAINER_APP = "container-app"
    APP_GATEWAY = "application-gateway"
    TRAFFIC_MANAGER = "traffic-manager"
    KEY_VAULT = "key-vault"
    DNS_ZONE = "dns-zone"
