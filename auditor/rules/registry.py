"""Every rule, listed explicitly so grep and the type checker see them, validated at import."""

from __future__ import annotations

from auditor.errors import AuditorError
from auditor.rules import (
    cert_expired,
    cert_expiring,
    cert_rotation_pinned,
    cert_rotation_stale,
    cert_unmanaged,
    coverage_gap,
    dangling_dns,
    managed_cert_renewal,
    orphaned_certificate,
    retired_domain_in_use,
    stale_custom_domain,
    tls_endpoint_broken,
    tls_weak_protocol,
)
from auditor.rules.metadata import Rule, metadata_problems

# CONTRACT section 5: the stable rule ids, in the contract's order.
CONTRACT_RULE_IDS: tuple[str, ...] = (
    "cert-expired",
    "cert-expiring",
    "cert-unmanaged",
    "cert-rotation-pinned",
    "cert-rotation-stale",
    "managed-cert-renewal-at-risk",
    "retired-domain-in-use",
    "dangling-dns",
    "tls-endpoint-broken",
    "tls-weak-protocol",
    "orphaned-certificate",
    "stale-custom-domain",
    "coverage-gap",
)

RULES: tuple[Rule, ...] = (
    Rule(cert_expired.METADATA, cert_expired.check),
    Rule(cert_expiring.METADATA, cert_expiring.check),
    Rule(cert_unmanaged.METADATA, cert_unmanaged.check),
    Rule(cert_rotation_pinned.METADATA, cert_rotation_pinned.check),
    Rule(cert_rotation_stale.METADATA, cert_rotation_stale.check),
    Rule(managed_cert_renewal.METADATA, managed_cert_renewal.check),
    Rule(retired_domain_in_use.METADATA, retired_domain_in_use.check),
    Rule(dangling_dns.METADATA, dangling_dns.check),
    Rule(tls_endpoint_broken.METADATA, tls_endpoint_broken.check),
    Rule(tls_weak_protocol.METADATA, tls_weak_protocol.check),
    Rule(orphaned_certificate.METADATA, orphaned_certificate.check),
    Rule(stale_custom_domain.METADATA, stale_custom_domain.check),
    Rule(coverage_gap.METADATA, coverage_gap.check),
)


def registry_problems(rules: tuple[Rule, ...]) -> list[str]:
    """Ids unique and exactly the contract's, every metadata field present."""
    problems: list[str] = []
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate rule ids: {', '.join(duplicates)}")
    missing = sorted(set(CONTRACT_RULE_IDS) - set(ids))
    extra = sorted(set(ids) - set(CONTRACT_RULE_IDS))
    if missing:
        problems.append(f"rules missing from the registry: {', '.join(missing)}")
    if extra:
        problems.append(f"rules not in the contract: {', '.join(extra)}")
    for rule in rules:
        problems += metadata_problems(rule.metadata)
    return problems


def select(rule_ids: list[str] | tuple[str, ...] | None) -> tuple[Rule, ...]:
    """The registered rules, or only those named (in registry order). Unknown ids are a usage error."""
    if rule_ids is None:
        return RULES
    wanted = {r.strip() for r in rule_ids}
    unknown = sorted(wanted - {r.id for r in RULES})
    if unknown:
        raise AuditorError(f"unknown rule {unknown[0]!r}; known rules: {', '.join(CONTRACT_RULE_IDS)}")
    return tuple(r for r in RULES if r.id in wanted)


_PROBLEMS = registry_problems(RULES)
if _PROBLEMS:
    raise RuntimeError("rule registry is invalid: " + "; ".join(_PROBLEMS))
