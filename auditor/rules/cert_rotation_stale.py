"""cert-rotation-stale: a consumer or live endpoint still uses an older version than Key Vault's
current one, longer after the renewal than the service's documented sync lag."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import (
    Certificate,
    CertificateStore,
    CertificateVersion,
    Finding,
    ServiceKind,
    Severity,
)
from auditor.rules.common import certificate_subject, describe, iso_or_none, make_finding, utc
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="cert-rotation-stale",
    severity=Severity.HIGH,
    title="Renewed certificate not picked up",
    checks="Key Vault holds a newer version, created longer ago than the consumer's sync lag (App "
           "Service 24 h, Front Door with latest version 72 h; [thresholds] app_service_sync_hours and "
           "front_door_sync_hours), but a consumer or the live endpoint still has an older one.",
    rationale="A renewal that never reaches the endpoint is no renewal: the old version expires on "
              "schedule and takes the site down while Key Vault shows a healthy certificate.",
    remediation="Make the consumer re-read Key Vault: Portal: App Service > Certificates > the "
                "certificate > Sync (or `az webapp config ssl import` again); Front Door: Secrets > the "
                "secret > Certificate version `Latest` (`az afd secret update --use-latest-version true`). "
                "Check the consumer's identity can still read the vault.",
    references=(
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-certificate",
        "https://learn.microsoft.com/en-us/azure/frontdoor/standard-premium/how-to-configure-https-custom-domain",
        "https://learn.microsoft.com/en-us/azure/key-vault/certificates/overview-renew-certificate",
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    out: list[Finding] = []
    for kv in graph.inventory.certificates:
        if kv.store is not CertificateStore.KEY_VAULT or not kv.thumbprint:
            continue
        current = current_version(kv)
        if current is None or current.created is None:
            continue
        hours = (as_of - utc(current.created)).total_seconds() / 3600
        base = {"key_vault_certificate": kv.key, "current_version": current.version,
                "current_created": iso_or_none(current.created), "current_thumbprint": kv.thumbprint,
                "hours_since_renewal": round(hours, 1)}
        up_to_date: list[Certificate] = [kv]
        for copy in graph.followers.get(kv.key.lower(), ()):
            lag = _lag(config, front_door=copy.store is CertificateStore.FRONT_DOOR_SECRET)
            if not _differs(copy.thumbprint, kv.thumbprint):
                up_to_date.append(copy)
                continue
            if hours <= lag:
                continue
            evidence = {**base, **_consumer(kv, copy.thumbprint, lag), "consumer": copy.key}
            hosts = sorted({(b.hostname, b.resource_id) for b in graph.bindings_of(copy)})
            for host, resource_id in hosts:  # what users see: the host names presenting the stale copy
                out.append(make_finding(
                    METADATA, subject=host, resource_id=resource_id, evidence=evidence,
                    title=f"{host} still presents an older version of {kv.key} ({hours:.0f} h after renewal)"))
            if not hosts:
                out.append(make_finding(
                    METADATA, subject=certificate_subject(copy), resource_id=copy.resource_id, evidence=evidence,
                    title=f"{describe(copy)} still has an older version of {kv.key} ({hours:.0f} h after renewal)"))
        out += _stale_endpoints(graph, config, kv, up_to_date, hours, base)
    return out


def _stale_endpoints(graph: Graph, config: Config, kv: Certificate, up_to_date: list[Certificate],
                     hours: float, base: dict[str, Any]) -> list[Finding]:
    """Bindings and live endpoints of up-to-date consumers that still present an older version."""
    out: list[Finding] = []
    older = {v.thumbprint.upper() for v in kv.versions if v.thumbprint and _differs(v.thumbprint, kv.thumbprint)}
    for member in up_to_date:
        for binding in graph.bindings_of(member):
            host = binding.hostname
            lag = _lag(config, front_door=binding.service is ServiceKind.FRONT_DOOR)
            if hours <= lag:
                continue
            if _differs(binding.thumbprint, kv.thumbprint):
                served = binding.thumbprint
            else:
                served = next((p.leaf.thumbprint for p in graph.tls.get(host, ())
                               if p.leaf is not None and p.leaf.thumbprint.upper() in older), None)
            if served is None:
                continue
            out.append(make_finding(
                METADATA, subject=host, resource_id=binding.resource_id,
                title=f"{host} still presents an older version of {kv.key} ({hours:.0f} h after renewal)",
                evidence={**base, **_consumer(kv, served, lag), "service": binding.service.value},
            ))
    return out


def renewal_in_flight(graph: Graph, config: Config, as_of: datetime, host: str, thumbprint: str) -> bool:
    """The host serves an older version of a Key Vault certificate renewed so recently that its
    consumers are still inside their documented sync lag: the new version is on its way."""
    fronted = any(b.service is ServiceKind.FRONT_DOOR for b in graph.bindings_by_host.get(host, ()))
    lag = _lag(config, front_door=fronted)
    return any(_superseded_within(kv, thumbprint, as_of, lag)
               for kv in graph.key_vault_certificates_with_version(thumbprint))


def copy_renewal_in_flight(graph: Graph, config: Config, as_of: datetime, copy: Certificate) -> bool:
    """A consumer's copy (App Service certificate, Front Door secret, ...) still holding the previous
    version of its Key Vault certificate, renewed within the consumer's sync lag."""
    source = graph.key_vault_source(copy)
    if source is None or not copy.thumbprint:
        return False
    lag = _lag(config, front_door=copy.store is CertificateStore.FRONT_DOOR_SECRET)
    return _superseded_within(source, copy.thumbprint, as_of, lag)


def _superseded_within(kv: Certificate, thumbprint: str, as_of: datetime, lag: int) -> bool:
    """`thumbprint` is an older version of `kv`, whose current version is at most `lag` hours old."""
    if not _differs(thumbprint, kv.thumbprint):
        return False
    current = current_version(kv)
    if current is None or current.created is None:
        return False
    older = any(v.thumbprint and v.thumbprint.upper() == thumbprint.upper() for v in kv.versions)
    return older and (as_of - utc(current.created)).total_seconds() / 3600 <= lag


def current_version(kv: Certificate) -> CertificateVersion | None:
    """The version Key Vault calls current: the one named, else the newest created."""
    for version in kv.versions:
        if kv.version and version.version.lower() == kv.version.lower():
            return version
    dated = [v for v in kv.versions if v.created is not None]
    return max(dated, key=lambda v: utc(v.created)) if dated else None  # type: ignore[arg-type]


def _consumer(kv: Certificate, thumbprint: str | None, lag: int) -> dict[str, Any]:
    match = next((v for v in kv.versions if v.thumbprint and thumbprint
                  and v.thumbprint.upper() == thumbprint.upper()), None)
    return {"consumer_thumbprint": thumbprint, "consumer_version": match.version if match else None,
            "consumer_not_after": iso_or_none(match.not_after) if match else None, "sync_lag_hours": lag}


def _lag(config: Config, *, front_door: bool) -> int:
    t = config.thresholds
    return t.front_door_sync_hours if front_door else t.app_service_sync_hours


def _differs(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and (a or "").upper() != (b or "").upper()
