"""CONTRACT sections 3 and 4: no finding without a subject and a resource id, no dependent
without a host name and the resource id that holds it. Checked on every fixture estate's audit
and on a decommission check of each of its domains and certificates."""

from __future__ import annotations

from datetime import datetime

from auditor.config import Config
from auditor.core.decommission import decommission
from auditor.model import Inventory, Report
from auditor.normalise.hostnames import normalise, registrable_domain


def decommission_targets(inventory: Inventory, config: Config) -> set[str]:
    """Every registered domain the estate serves or retires, and every certificate."""
    targets = {t for t in config.decommission.retired_domains}
    for domain in inventory.custom_domains:
        targets.add(registrable_domain(normalise(domain.hostname).removeprefix("*.")) or domain.hostname)
    for cert in inventory.certificates:
        targets.add(cert.key)
    return {t for t in targets if t}


def assert_nothing_nameless(report: Report, inventory: Inventory, config: Config, as_of: datetime) -> int:
    """Returns how many findings and dependents were checked, so a caller can see it was not none."""
    checked = 0
    for f in report.findings:
        assert f.subject.strip() and f.resource_id.strip(), f"nameless finding: {f.to_json()}"
        checked += 1
    for target in sorted(decommission_targets(inventory, config)):
        for dep in decommission(inventory, config, target, as_of).dependents:
            assert dep.hostname.strip() and dep.resource_id.strip(), f"{target}: nameless dependent {dep}"
            checked += 1
    return checked
