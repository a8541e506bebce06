"""managed-cert-renewal-at-risk: a platform-managed certificate that will fail to renew."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import (
    CaaRecord,
    CertificateKind,
    CustomDomain,
    DnsStatus,
    Finding,
    Renewal,
    ServiceKind,
    Severity,
)
from auditor.normalise.hostnames import covers, is_under, normalise, parents
from auditor.rules.common import iso_or_none, make_finding, utc
from auditor.rules.dns_paths import answered, chain_names, expected_targets, first_target
from auditor.rules.metadata import RuleMetadata

# Both App Service and Front Door managed certificates are issued by DigiCert.
MANAGED_CA_DOMAIN = "digicert.com"
# Both services start renewing about 45 days before expiry.
RENEWAL_WINDOW = timedelta(days=45)
_TRAFFIC_MANAGER = "trafficmanager.net"

METADATA = RuleMetadata(
    id="managed-cert-renewal-at-risk",
    severity=Severity.HIGH,
    title="Managed certificate will fail to renew",
    checks="A custom domain with a platform-managed certificate whose renewal preconditions fail: Front "
           "Door domain validation not `Approved`; the host name's CNAME does not point directly at the "
           "Front Door endpoint or the app (or Traffic Manager) but goes through a chain, an A record or "
           "another target, without a current `_dnsauth` TXT token; or a CAA record set that does not "
           "allow digicert.com.",
    rationale="App Service and Front Door renew managed certificates about 45 days before expiry and "
              "only if they can validate the domain themselves: the CNAME must point straight at them "
              "(Front Door can fall back to a fresh _dnsauth TXT record) and CAA must let DigiCert "
              "issue. Otherwise the renewal silently stalls (Front Door shows PendingRevalidation) and "
              "the certificate expires.",
    remediation="Point the name straight at the service: `az network dns record-set cname set-record -g <rg> "
                "-z <zone> -n <name> -c <endpoint>.azurefd.net` (or `<app>.azurewebsites.net`); for Front "
                "Door regenerate the validation token (Portal: Front Door > Domains > the domain > "
                "Pending revalidation > Regenerate) and publish it as the `_dnsauth.<name>` TXT record; "
                "add `0 issue \"digicert.com\"` to any CAA record set.",
    references=(
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-certificate",
        "https://learn.microsoft.com/en-us/azure/frontdoor/domain",
        "https://learn.microsoft.com/en-us/azure/frontdoor/standard-premium/how-to-configure-https-custom-domain",
        "https://learn.microsoft.com/en-us/azure/frontdoor/apex-domain",
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    out: list[Finding] = []
    for host, domains in sorted(graph.custom_domains.items()):
        for domain in domains:
            if domain.certificate_kind is not CertificateKind.MANAGED or host.startswith("*."):
                continue
            reasons, evidence = _risks(graph, domain, as_of)
            if not reasons:
                continue
            expiring = _managed_expiry(graph, host)
            due = expiring is not None and utc(expiring) - as_of <= RENEWAL_WINDOW
            out.append(make_finding(
                METADATA, subject=host, resource_id=domain.resource_id,
                severity=Severity.CRITICAL if due else Severity.HIGH,
                title=f"Managed certificate for {host} will not renew: {reasons[0]}",
                evidence={"reasons": reasons, "service": domain.service.value,
                          "certificate_not_after": iso_or_none(expiring), **evidence},
            ))
    return out


def _risks(graph: Graph, domain: CustomDomain, as_of: datetime) -> tuple[list[str], dict[str, Any]]:
    reasons: list[str] = []
    evidence: dict[str, Any] = {}
    host = normalise(domain.hostname)
    state = domain.validation_state
    if domain.service is ServiceKind.FRONT_DOOR and state and state.lower() != "approved":
        reasons.append(f"domain validation is {state}, not Approved")
        evidence["validation_state"] = state
    obs = graph.observations.get(host)
    if obs is not None and answered(obs):
        targets = expected_targets(graph, domain)
        first = first_target(obs)
        evidence.update({"cname": first, "chain": chain_names(obs)[1:], "expected": sorted(targets)})
        if obs.status is DnsStatus.NXDOMAIN:
            reasons.append("the host name does not resolve")
        elif domain.service in (ServiceKind.FRONT_DOOR, ServiceKind.APP_SERVICE) and targets:
            problem = _cname_problem(graph, domain, first, targets)
            if problem and not (domain.service is ServiceKind.FRONT_DOOR and _fresh_txt(domain, obs.txt, as_of)):
                reasons.append(problem)
    caa = _caa(graph, host, obs.caa if obs is not None else ())
    if caa and not _allows_digicert(caa):
        reasons.append("a CAA record set does not allow digicert.com")
        evidence["caa"] = [f"{c.flags} {c.tag} {c.value}" for c in caa]
    return reasons, evidence


def _cname_problem(graph: Graph, domain: CustomDomain, first: str | None, targets: set[str]) -> str | None:
    if first is None:
        if domain.service is ServiceKind.APP_SERVICE and _is_apex(graph, domain.hostname):
            return None  # App Service validates an apex name through its A record
        return "no CNAME: the name is an A record, so the service cannot validate it"
    if first in targets:
        return None
    if domain.service is ServiceKind.APP_SERVICE and is_under(first, _TRAFFIC_MANAGER):
        return None
    return f"the CNAME points at {first}, not directly at {', '.join(sorted(targets))}"


def _fresh_txt(domain: CustomDomain, txt: tuple[tuple[str, str], ...], as_of: datetime) -> bool:
    """A `_dnsauth` TXT record that still carries Front Door's current, unexpired token."""
    if not domain.validation_token:
        return False
    if domain.validation_expires is not None and utc(domain.validation_expires) <= as_of:
        return False
    owner = f"_dnsauth.{normalise(domain.hostname)}"
    return any(normalise(o) == owner and v.strip() == domain.validation_token for o, v in txt)


def _caa(graph: Graph, host: str, observed: tuple[CaaRecord, ...]) -> tuple[CaaRecord, ...]:
    """The relevant CAA set: as observed, else the nearest Azure DNS CAA record set (RFC 8659 climb)."""
    if observed:
        return observed
    for owner in parents(host):
        records = [r for r in graph.records_by_name.get(owner, ()) if r.type.upper() == "CAA"]
        if records:
            return tuple(_parse_caa(v) for r in records for v in r.values)
    return ()


def _parse_caa(value: str) -> CaaRecord:
    fields = value.split(None, 2)
    if len(fields) == 3 and fields[0].isdigit():
        return CaaRecord(int(fields[0]), fields[1].lower(), fields[2].strip('"'))
    return CaaRecord(0, "issue", value.strip('"'))


def _allows_digicert(caa: tuple[CaaRecord, ...]) -> bool:
    issuers = [c.value for c in caa if c.tag.lower() == "issue"]
    if not issuers:
        return True  # only iodef / issuewild: non-wildcard issuance is unrestricted
    return any(v.split(";", 1)[0].strip().strip('"').lower() == MANAGED_CA_DOMAIN for v in issuers)


def _is_apex(graph: Graph, host: str) -> bool:
    name = normalise(host)
    zones = {normalise(r.zone) for r in graph.inventory.dns_records}
    return name in zones or name.count(".") == 1


def _managed_expiry(graph: Graph, host: str) -> datetime | None:
    dates = [c.not_after for c in graph.inventory.certificates
             if c.renewal is Renewal.PLATFORM and c.not_after is not None and any(covers(n, host) for n in c.names)]
    return min(dates, key=utc) if dates else None
