"""Reports and findings built by hand, so renderer, history and notify tests need no estate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from auditor.model.common import CoverageGap, GapReason, Severity, Source
from auditor.model.finding import Finding
from auditor.model.report import DecommissionResult, Dependent, Report

AS_OF = datetime(2025, 9, 10, tzinfo=UTC)
TENANT = "11111111-2222-3333-4444-555555555555"
SUB = "00000000-0000-0000-0000-000000000001"
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> | *bold* _it_ [x](javascript:alert(3)) `code`'


def site_id(name: str) -> str:
    return f"/subscriptions/{SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/{name}"


def finding(rule: str = "cert-expiring", severity: Severity = Severity.HIGH, subject: str = "www.contoso.com",
            resource_id: str | None = None, title: str | None = None, remediation: str = "Renew it.",
            evidence: Mapping[str, Any] | None = None) -> Finding:
    return Finding(rule=rule, severity=severity, subject=subject, resource_id=resource_id or site_id("web"),
                   title=title or f"{rule} on {subject}", remediation=remediation, evidence=evidence or {})


def expiring(subject: str, days: int, severity: Severity = Severity.HIGH, as_of: datetime = AS_OF) -> Finding:
    not_after = (as_of + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return finding("cert-expiring", severity, subject, f"/subscriptions/{SUB}/vaults/{subject}",
                   f"Certificate {subject} expires in {days} days", "Renew it in Key Vault.",
                   {"not_after": not_after, "days_left": days})


def retired(hostname: str, kind: str, resource_name: str, domain: str = "contoso-legacy.net",
            where: str = "appsettings.AUTH_CALLBACK_URL") -> Finding:
    return finding("retired-domain-in-use", Severity.CRITICAL, hostname, site_id(resource_name),
                   f"{hostname} ({domain}, retired) is still used by {resource_name}",
                   "Remove the reference before the domain lapses.",
                   {"domain": domain, "kind": kind, "hostname": hostname, "where": where})


def gap(target: str = "kv-restricted", reason: GapReason = GapReason.FORBIDDEN) -> CoverageGap:
    return CoverageGap(source=Source.KEYVAULT, target=target, reason=reason, detail="403 from Key Vault")


def report(findings: Sequence[Finding] = (), gaps: Sequence[CoverageGap] = (), as_of: datetime = AS_OF,
           tenant_id: str = TENANT) -> Report:
    return Report(as_of=as_of, started=as_of, finished=as_of + timedelta(seconds=42), tenant_id=tenant_id,
                  subscriptions=(SUB,), gaps=tuple(gaps),
                  counts={"certificates": 4, "custom_domains": 3, "dns_names": 9, "endpoints_probed": 3,
                          "references": 5},
                  findings=tuple(findings))


def sample_report(as_of: datetime = AS_OF) -> Report:
    """A little of everything: each severity, a retired domain with dependents, expiries, a gap."""
    return report([
        retired("login.contoso-legacy.net", "app-setting", "signin"),
        retired("login.contoso-legacy.net", "custom-domain", "legacy-portal", where="hostNameBindings"),
        retired("api.contoso-legacy.net", "frontdoor-origin", "fd-main", where="origins[0].hostName"),
        expiring("kv-prod/www-contoso-com", 5, Severity.CRITICAL, as_of),
        expiring("kv-prod/api-contoso-com", 20, Severity.MEDIUM, as_of),
        finding("dangling-dns", Severity.HIGH, "old.contoso.com", f"/subscriptions/{SUB}/dnszones/contoso.com",
                "old.contoso.com points at a deleted web app", "Delete the CNAME record.",
                {"target": "old-contoso.azurewebsites.net"}),
        finding("orphaned-certificate", Severity.LOW, "kv-prod/unused", title="Certificate bound nowhere"),
        finding("tls-weak-protocol", Severity.INFO, "www.contoso.com", title="Accepts TLS 1.1"),
    ], [gap()], as_of=as_of)


def hostile_report() -> Report:
    """Every estate-controlled string carries markup and Markdown that must stay inert."""
    return report([
        finding("retired-domain-in-use", Severity.CRITICAL, "evil.contoso-legacy.net", site_id(HOSTILE),
                f"Title {HOSTILE}", f"Remediation {HOSTILE}",
                {"domain": "contoso-legacy.net", "kind": "app-setting", "where": f"appsettings.{HOSTILE}",
                 "tag": HOSTILE}),
        finding("cert-expiring", Severity.HIGH, f"kv/{HOSTILE}", title=HOSTILE, remediation=HOSTILE,
                evidence={"not_after": "2025-09-20T00:00:00Z"}),
    ], [CoverageGap(source=Source.ARM, target=HOSTILE, reason=GapReason.TIMEOUT, detail=HOSTILE)])


def decommission(safe: bool = False) -> DecommissionResult:
    dependents = () if safe else (
        Dependent("app-setting", "login.contoso-legacy.net", site_id("signin"), "appsettings.AUTH_CALLBACK_URL",
                  "names login.contoso-legacy.net", "Point AUTH_CALLBACK_URL at login.contoso.com."),
        Dependent("custom-domain", "legacy.contoso-legacy.net", site_id("legacy-portal"), "hostNameBindings",
                  "bound custom domain", "Remove the host name binding."),
    )
    return DecommissionResult(target="contoso-legacy.net", dependents=dependents, gaps=())


def sample_retired() -> tuple[DecommissionResult, ...]:
    """`decommission check contoso-legacy.net` for the sample report's retired domain."""
    return (DecommissionResult(target="contoso-legacy.net", dependents=(
        Dependent("app-setting", "login.contoso-legacy.net", site_id("signin"), "appsettings.AUTH_CALLBACK_URL",
                  "names login.contoso-legacy.net", "Point `AUTH_CALLBACK_URL` at login.contoso.com."),
        Dependent("custom-domain", "login.contoso-legacy.net", site_id("legacy-portal"), "hostNameBindings",
                  "bound custom domain", "Remove the host name binding."),
        Dependent("frontdoor-origin", "api.contoso-legacy.net", site_id("fd-main"), "origins[0].hostName",
                  "origin host", "Point the origin elsewhere."),
    ), gaps=()),)


def hostile_retired() -> tuple[DecommissionResult, ...]:
    return (DecommissionResult(target="contoso-legacy.net", dependents=(
        Dependent("app-setting", f"evil.{HOSTILE}", site_id(HOSTILE), f"appsettings.{HOSTILE}", HOSTILE, HOSTILE),
    ), gaps=()),)
