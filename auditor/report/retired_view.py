"""Who still depends on each retired domain or certificate: the very dependents `auditor decommission
check` lists for it (core.decommission.retired_checks runs that check), so the reports and the
command never disagree on which resources, how many, or where."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from azure.mgmt.core.tools import parse_resource_id

from auditor.model.report import DecommissionResult, Dependent


@dataclass(frozen=True)
class RetiredDomain:
    domain: str                        # the retired domain, host name or certificate, as checked
    dependents: tuple[Dependent, ...]  # in the order `decommission check` lists them
    complete: bool                     # False: a coverage gap could hide more dependents

    @property
    def anchor(self) -> str:
        """An in-page id for the domain's section."""
        return "retired-" + "".join(ch if ch.isalnum() else "-" for ch in self.domain.lower())

    def by_host(self) -> list[tuple[str, list[Dependent]]]:
        """Dependents grouped by the host name they use (the target itself when they name none)."""
        groups: dict[str, list[Dependent]] = {}
        for dep in self.dependents:
            groups.setdefault(dep.hostname or self.domain, []).append(dep)
        return list(groups.items())


def retired_domains(checks: Iterable[DecommissionResult]) -> list[RetiredDomain]:
    return [RetiredDomain(domain=c.target, dependents=c.dependents, complete=c.complete) for c in checks]


def short_name(resource_id: str) -> str:
    """The resource's own name, for labels; the whole id when it does not parse."""
    parsed = parse_resource_id(resource_id) if resource_id.startswith("/") else {}
    return str(parsed.get("resource_name") or parsed.get("name") or resource_id)


def dependent_label(dep: Dependent) -> str:
    """A dependent's short label: its kind and the name of its own resource (the last child), e.g.
    `dns-record: shop` or `frontdoor-rule: redirect-legacy`, never the name of a parent it shares."""
    return f"{dep.kind}: {short_name(dep.resource_id) if dep.resource_id else dep.where}"
