"""Certificate expiries within a window after the audit's clock, for the HTML timeline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from auditor.model.certificate import Certificate, CertificateStore
from auditor.model.common import Severity
from auditor.model.finding import Finding


@dataclass(frozen=True)
class Expiry:
    label: str
    not_after: datetime
    days_left: float
    severity: Severity | None     # from a finding about it, if any
    key: str = ""                 # lower-case certificate key or finding subject, to link the two


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def expiries(findings: Iterable[Finding], certificates: Sequence[Certificate], as_of: datetime,
             days: int = 90) -> tuple[list[Expiry], int]:
    """Expiries in [as_of, as_of + days], soonest first, and how many are already past."""
    as_of = as_of.replace(tzinfo=UTC) if as_of.tzinfo is None else as_of.astimezone(UTC)
    seen: dict[str, Expiry] = {}
    for finding in findings:
        not_after = _parse(finding.evidence.get("not_after"))
        if not_after is not None:
            _add(seen, finding.subject, finding.subject, not_after, as_of, finding.severity)
    for cert in certificates:
        if cert.not_after is not None:
            not_after = cert.not_after.replace(tzinfo=UTC) if cert.not_after.tzinfo is None else cert.not_after
            _add(seen, cert.key, display_name(cert), not_after, as_of, None)
    end = as_of + timedelta(days=days)
    window = sorted((e for e in seen.values() if as_of <= e.not_after <= end), key=lambda e: (e.not_after, e.label))
    past = sum(1 for e in seen.values() if e.not_after < as_of)
    return window, past


def display_name(cert: Certificate) -> str:
    """Key Vault certificates by `vault/name`; copies elsewhere (whose ARM names are often
    generated, like Front Door's managed secrets) by the first name they cover."""
    if cert.store is CertificateStore.KEY_VAULT:
        return cert.key
    return f"{cert.names[0]} ({cert.store.value})" if cert.names else cert.name


def _add(seen: dict[str, Expiry], key: str, label: str, not_after: datetime, as_of: datetime,
         severity: Severity | None) -> None:
    key = key.lower()
    current = seen.get(key)
    if current is not None and (current.severity is not None and
                                (severity is None or current.severity.rank >= severity.rank)):
        # Keep the finding's severity; a certificate's friendlier name still wins.
        if severity is None and label != current.label:
            seen[key] = Expiry(label, current.not_after, current.days_left, current.severity, key)
        return
    seen[key] = Expiry(label, not_after, (not_after - as_of).total_seconds() / 86400, severity, key)
