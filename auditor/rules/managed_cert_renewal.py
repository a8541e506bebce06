"""managed-cert-renewal-at-risk: a platform-managed certificate that will fail to renew."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from auditor.cloud import ALL_TRAFFIC_MANAGER_SUFFIXES
from auditor.config import Config
from auditor.graph import Graph
from auditor.model import (
    CaaRecord,
    CertificateKind,
    CustomDomain,
    DnsStatus,
    Finding,
    Renewal,
    Resource,
    ServiceKind,
    Severity,
)
from auditor.normalise.hostnames import is_apex, is_under, normalise, parents
from auditor.rules.classic_managed import NO_NEW_AFTER, withdrawn_managed
from auditor.rules.classic_managed import REFERENCES as CLASSIC_REFERENCES
from auditor.rules.common import iso_or_none, make_finding, utc
from auditor.rules.dns_paths import answered, chain_names, expected_targets, first_target
from auditor.rules.metadata import RuleMetadata

# Both App Service and Front Door managed certificates are issued by DigiCert, whose CAA check
# accepts any of its brands' issuer domains (a CAA naming geotrust.com authorizes DigiCert too).
MANAGED_CA_DOMAIN = "digicert.com"
DIGICERT_CAA_DOMAINS = frozenset({
    "digicert.com", "www.digicert.com", "digicert.ne.jp", "cybertrust.ne.jp",
    "symantec.com", "thawte.com", "geotrust.com", "rapidssl.com",
})
# Both services start renewing about 45 days before expiry.
RENEWAL_WINDOW = timedelta(days=45)
_TRAFFIC_MANAGER = ALL_TRAFFIC_MANAGER_SUFFIXES   # trafficmanager.net, .cn, usgovtrafficmanager.net

METADATA = RuleMetadata(
    id="managed-cert-renewal-at-risk",
    severity=Severity.HIGH,
    title="Managed certificate will fail to renew",
    checks="A custom domain with a platform-managed certificate whose renewal preconditions fail. Front "
           "Door: domain validation not `Approved`; a CNAME through a chain (Traffic Manager included) or "
           "to another target, or a plain A record, without a current `_dnsauth` TXT token. An Azure DNS "
           "alias record at the endpoint is accepted until Front Door asks for revalidation. "
           "App Service: a subdomain whose CNAME is not straight at `<app>.azurewebsites.net` or Traffic "
           "Manager, an apex whose A record is not the app's address or that is an alias to Traffic "
           "Manager, or an app the public internet cannot reach (publicNetworkAccess Disabled, or "
           "access restrictions in config/web that deny unmatched traffic). Both: a CAA record set that allows none of DigiCert's issuer domains. Classic Front "
           "Door and classic CDN: any managed certificate, which Azure withdrew (none issued or renewed "
           "after 15 August 2025, existing ones valid until 14 April 2026; past that, cert-expired).",
    rationale="App Service and Front Door renew managed certificates about 45 days before expiry and "
              "only if they can validate the domain themselves: the CNAME must point straight at them "
              "(an App Service apex needs its A record at the app) and CAA must let DigiCert issue. Front "
              "Door cannot follow a CNAME chain or an apex: 45 days before expiry it turns the domain to "
              "Pending revalidation and waits for a new _dnsauth TXT token; if nobody publishes it the "
              "renewal stalls and the certificate expires.",
    remediation="Point the name straight at the service: `az network dns record-set cname set-record -g <rg> "
                "-z <zone> -n <name> -c <endpoint>.azurefd.net` (or `<app>.azurewebsites.net`); for Front "
                "Door regenerate the validation token (Portal: Front Door > Domains > the domain > "
                "Pending revalidation > Regenerate) and publish it as the `_dnsauth.<name>` TXT record; "
                "add `0 issue \"digicert.com\"` to any CAA record set; open an App Service app whose access "
                "restrictions deny unmatched traffic while its managed certificate renews, or bring your own "
                "certificate from Key Vault. Classic Front Door or CDN: bring your "
                "own certificate from Key Vault (`az network front-door frontend-endpoint enable-https "
                "--certificate-source AzureKeyVault ...`, `az cdn custom-domain enable-https --user-cert-...`) "
                "or migrate to Front Door Standard/Premium.",
    references=(
        "https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-certificate",
        "https://learn.microsoft.com/en-us/azure/frontdoor/domain",
        "https://learn.microsoft.com/en-us/azure/frontdoor/standard-premium/how-to-configure-https-custom-domain",
        "https://learn.microsoft.com/en-us/azure/frontdoor/apex-domain",
        "https://learn.microsoft.com/en-us/azure/app-service/configure-domain-traffic-manager",
        "https://learn.microsoft.com/en-us/azure/app-service/app-service-ip-restrictions",
        "https://docs.digicert.com/en/certcentral/manage-certificates/dns-caa-resource-record-check.html",
        *CLASSIC_REFERENCES,
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    out: list[Finding] = []
    withdrawn = {_key(w.domain): w for w in withdrawn_managed(graph)}
    # Every built-in cloud's Traffic Manager suffix, and a custom cloud's own.
    tm = tuple(dict.fromkeys((*_TRAFFIC_MANAGER, config.cloud.traffic_manager_suffix)))
    for host, domains in sorted(graph.custom_domains.items()):
        for domain in domains:
            if domain.certificate_kind is not CertificateKind.MANAGED or host.startswith("*."):
                continue
            classic = withdrawn.get(_key(domain))
            if classic is not None and classic.ends <= as_of:
                continue  # past its end: cert-expired reports it
            reasons, evidence = _risks(graph, domain, as_of, tm)
            if classic is not None:
                reasons.insert(0, f"Azure withdrew {classic.service} managed certificates: none renews after "
                                  f"{NO_NEW_AFTER:%d %B %Y}, this one ends {classic.ends:%d %B %Y}")
                evidence.update(classic.evidence())
            if not reasons:
                continue
            expiring = classic.ends if classic is not None else _managed_expiry(graph, host)
            due = expiring is not None and utc(expiring) - as_of <= RENEWAL_WINDOW
            out.append(make_finding(
                METADATA, subject=host, resource_id=domain.resource_id,
                severity=Severity.CRITICAL if due else Severity.HIGH,
                title=f"Managed certificate for {host} will not renew: {reasons[0]}",
                evidence={"reasons": reasons, "service": domain.service.value,
                          "certificate_not_after": iso_or_none(expiring), **evidence},
            ))
    return out


def _key(domain: CustomDomain) -> tuple[str, str, str]:
    return (normalise(domain.hostname), domain.resource_id.lower(), domain.service.value)


def _risks(graph: Graph, domain: CustomDomain, as_of: datetime,
           tm: tuple[str, ...] = _TRAFFIC_MANAGER) -> tuple[list[str], dict[str, Any]]:
    reasons: list[str] = []
    evidence: dict[str, Any] = {}
    host = normalise(domain.hostname)
    front_door = domain.service is ServiceKind.FRONT_DOOR
    state = (domain.validation_state or "").strip()
    obs = graph.observations.get(host)
    if front_door and state and state.lower() != "approved":
        reasons.append(f"domain validation is {state}, not Approved")
        evidence["validation_state"] = state
    if obs is not None and answered(obs):
        targets = expected_targets(graph, domain)
        first = first_target(obs)
        evidence.update({"cname": first, "chain": chain_names(obs)[1:], "expected": sorted(targets)})
        if obs.status is DnsStatus.NXDOMAIN:
            reasons.append("the host name does not resolve")
        elif domain.service in (ServiceKind.FRONT_DOOR, ServiceKind.APP_SERVICE) and targets:
            problem = _cname_problem(graph, domain, obs.addresses, first, targets, tm)
            if problem and not (front_door and _fresh_txt(domain, obs.txt, as_of)):
                reasons.append(problem)
    if domain.service is ServiceKind.APP_SERVICE:
        app = graph.resource(domain.serving_resource_id)
        if app is not None and app.public_access_block:
            reasons.append(f"the app is closed to the public internet, so DigiCert cannot validate the "
                           f"domain: {app.public_access_block}")
            evidence["access"] = app.public_access_block
    caa = _caa(graph, host, obs.caa if obs is not None else ())
    if caa and not _allows_digicert(caa):
        reasons.append("a CAA record set does not allow digicert.com")
        evidence["caa"] = [f"{c.flags} {c.tag} {c.value}" for c in caa]
    return reasons, evidence


def _cname_problem(graph: Graph, domain: CustomDomain, addresses: tuple[str, ...], first: str | None,
                   targets: set[str], tm: tuple[str, ...] = _TRAFFIC_MANAGER) -> str | None:
    if first is None:
        alias = _alias_target(graph, domain)
        if domain.service is ServiceKind.APP_SERVICE and _is_apex(graph, domain.hostname):
            return _app_apex_problem(graph, alias, addresses, targets, tm)
        if domain.service is ServiceKind.FRONT_DOOR and alias is not None and \
                set(alias.default_hostnames) & targets:
            return None  # an Azure DNS alias at the endpoint: revalidated when Front Door asks
        return "no CNAME: the name is an A record, so the service cannot validate it"
    if first in targets:
        return None
    if domain.service is ServiceKind.APP_SERVICE and _under_traffic_manager(first, tm):
        return None
    return f"the CNAME points at {first}, not directly at {', '.join(sorted(targets))}"


def _app_apex_problem(graph: Graph, alias: Resource | None, addresses: tuple[str, ...],
                      targets: set[str], tm: tuple[str, ...] = _TRAFFIC_MANAGER) -> str | None:
    """An App Service apex validates through its A record, which must be the app's own address."""
    if alias is not None and any(_under_traffic_manager(h, tm) for h in alias.default_hostnames):
        return "an apex behind Traffic Manager: App Service managed certificates do not support it"
    app = {a for t in targets if (o := graph.observations.get(t)) is not None for a in o.addresses}
    if app and addresses and not set(addresses) & app:
        return (f"the A record points at {', '.join(sorted(addresses))}, not at the app's address "
                f"{', '.join(sorted(app))}")
    return None


def _under_traffic_manager(name: str, tm: tuple[str, ...]) -> bool:
    return any(is_under(name, suffix) for suffix in tm)


def _alias_target(graph: Graph, domain: CustomDomain) -> Resource | None:
    """The resource an Azure DNS alias record at the name targets, when it is in the inventory."""
    for record in graph.records_by_name.get(normalise(domain.hostname), ()):
        if record.target_resource_id and record.target_resource_id.strip():
            found = graph.resource(record.target_resource_id)
            if found is not None:
                return found
    return None


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
    return any(v.split(";", 1)[0].strip().strip('"').lower() in DIGICERT_CAA_DOMAINS for v in issuers)


def _is_apex(graph: Graph, host: str) -> bool:
    name = normalise(host)
    return graph.is_zone(name) or is_apex(name)


def _managed_expiry(graph: Graph, host: str) -> datetime | None:
    dates = [c.not_after for c in graph.certificates_covering(host)
             if c.renewal is Renewal.PLATFORM and c.not_after is not None]
    return min(dates, key=utc) if dates else None
