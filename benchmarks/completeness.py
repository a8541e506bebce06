"""Did the audit see the whole estate? Expected values come from the estate's description."""

from __future__ import annotations

from auditor.core.pipeline import AuditOutcome
from auditor.estate.builder import EstateSpec
from auditor.model.certificate import CertificateStore
from benchmarks.results import Check


def _missing(expected: set[str], seen: set[str], what: str) -> Check:
    lost = sorted(expected - seen)
    detail = f"{len(expected) - len(lost)}/{len(expected)} {what}"
    if lost:
        detail += f"; missing e.g. {', '.join(lost[:3])}"
    return Check(f"all {what}", not lost, detail)


def completeness_checks(outcome: AuditOutcome, spec: EstateSpec) -> list[Check]:
    inv = outcome.inventory
    gaps = outcome.report.gaps
    checks = [Check("no coverage gaps", not gaps,
                    f"{len(gaps)} gaps" + (f", first: {gaps[0].source.value} {gaps[0].target} "
                                          f"{gaps[0].reason.value}" if gaps else ""))]

    versions = {f"{v.name}/{c.name}".lower(): 1 + len(c.older) for v in spec.vaults for c in v.certificates}
    vault_certs = {c.key.lower(): c for c in inv.certificates if c.store is CertificateStore.KEY_VAULT}
    checks.append(_missing(set(versions), set(vault_certs), "Key Vault certificates"))
    short = sorted(k for k, n in versions.items() if k in vault_certs and len(vault_certs[k].versions) != n)
    checks.append(Check("every certificate version", not short,
                        f"{len(short)} certificates with missing versions" if short else "all versions"))

    checks.append(_missing({str(o["id"]).lower() for o in spec.arm}, {r.id.lower() for r in inv.resources},
                           "bulk resources"))
    bound = {h.name.lower() for s in spec.sites for h in s.host_names}
    bound |= {d.host.lower() for fd in spec.front_doors for d in fd.domains}
    checks.append(_missing(bound, {d.hostname for d in inv.custom_domains}, "custom domains"))
    checks.append(_missing(bound, {t.hostname for t in inv.tls}, "TLS endpoints probed"))
    return checks
