"""Did the audit see the whole estate? Expected values come from the estate's description."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class Expected:
    """What a complete audit of an estate sees, read from its description: small enough to keep
    beside the audit, and written to a file when the estate is built in another process."""

    versions: dict[str, int]          # vault/certificate -> how many versions
    bulk: frozenset[str]              # lower-case ids of the raw ARM objects
    bound: frozenset[str]             # host names bound to a site or a Front Door

    @classmethod
    def of(cls, spec: EstateSpec) -> Expected:
        bound = {h.name.lower() for s in spec.sites for h in s.host_names}
        bound |= {d.host.lower() for fd in spec.front_doors for d in fd.domains}
        return cls(versions={f"{v.name}/{c.name}".lower(): 1 + len(c.older) for v in spec.vaults
                             for c in v.certificates},
                   bulk=frozenset(str(o["id"]).lower() for o in spec.arm), bound=frozenset(bound))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"versions": self.versions, "bulk": sorted(self.bulk),
                                    "bound": sorted(self.bound)}))

    @classmethod
    def load(cls, path: Path) -> Expected:
        data = json.loads(path.read_text())
        return cls(versions=data["versions"], bulk=frozenset(data["bulk"]), bound=frozenset(data["bound"]))


def completeness_checks(outcome: AuditOutcome, expected: EstateSpec | Expected) -> list[Check]:
    if isinstance(expected, EstateSpec):
        expected = Expected.of(expected)
    inv = outcome.inventory
    gaps = outcome.report.gaps
    checks = [Check("no coverage gaps", not gaps,
                    f"{len(gaps)} gaps" + (f", first: {gaps[0].source.value} {gaps[0].target} "
                                          f"{gaps[0].reason.value}" if gaps else ""))]

    versions = expected.versions
    vault_certs = {c.key.lower(): c for c in inv.certificates if c.store is CertificateStore.KEY_VAULT}
    checks.append(_missing(set(versions), set(vault_certs), "Key Vault certificates"))
    short = sorted(k for k, n in versions.items() if k in vault_certs and len(vault_certs[k].versions) != n)
    checks.append(Check("every certificate version", not short,
                        f"{len(short)} certificates with missing versions" if short else "all versions"))

    checks.append(_missing(set(expected.bulk), {r.id.lower() for r in inv.resources}, "bulk resources"))
    bound = set(expected.bound)
    checks.append(_missing(bound, {d.hostname for d in inv.custom_domains}, "custom domains"))
    checks.append(_missing(bound, {t.hostname for t in inv.tls}, "TLS endpoints probed"))
    return checks
