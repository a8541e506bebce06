"""collect -> inventory -> analyse -> report: the one path both front doors take."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from auditor.collect.context import CollectContext, ProgressCallback
from auditor.core.environment import Environment
from auditor.core.frozen_heap import frozen_heap
from auditor.model import (
    CertificateKind,
    DecommissionResult,
    Inventory,
    Report,
)
from auditor.model.reference import ReferenceKind

# Reference kinds whose host names are resolved: the places traffic is sent to.
_RESOLVED_REFERENCE_KINDS = {
    ReferenceKind.FRONTDOOR_ORIGIN, ReferenceKind.TRAFFIC_MANAGER_ENDPOINT,
    ReferenceKind.GATEWAY_BACKEND, ReferenceKind.APIM_BACKEND,
}
_RESOLVED_RECORD_TYPES = {"CNAME", "A", "AAAA"}
T = TypeVar("T")


@dataclass(frozen=True)
class AuditOutcome:
    report: Report
    inventory: Inventory
    # `decommission check` of each retired domain and certificate, for the reports' retired view
    retired: tuple[DecommissionResult, ...] = ()


def _context(env: Environment, progress: ProgressCallback | None,
             traffic_names: tuple[str, ...] = ()) -> CollectContext:
    context = CollectContext(config=env.config, cloud=env.config.cloud, network=env.network,
                             as_of=env.as_of, tenant_id=env.tenant_id, traffic_names=traffic_names)
    return context if progress is None else replace(context, progress=progress)


def names_to_resolve(inv: Inventory) -> list[str]:
    names: dict[str, None] = {}
    for domain in inv.custom_domains:
        names.setdefault(domain.hostname, None)
    for record in inv.dns_records:
        if record.type.upper() in _RESOLVED_RECORD_TYPES and not record.fqdn.startswith("*."):
            names.setdefault(record.fqdn, None)
            if record.type.upper() == "CNAME":
                for target in record.values:
                    names.setdefault(target.rstrip(".").lower(), None)
    for ref in inv.references:
        if ref.kind in _RESOLVED_REFERENCE_KINDS:
            names.setdefault(ref.hostname, None)
    return [n for n in names if n and not n.startswith("*")]


def hosts_to_probe(inv: Inventory) -> list[str]:
    """Bound host names served with TLS whose name resolves."""
    resolved = {o.name for o in inv.dns if o.addresses}
    hosts = {d.hostname for d in inv.custom_domains
             if d.certificate_kind is not CertificateKind.NONE and not d.hostname.startswith("*")}
    hosts |= {b.hostname for b in inv.bindings if not b.hostname.startswith("*")}
    return sorted(h for h in hosts if h in resolved)


def run_for_result(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, without it calling repr() on the result twice (CPython gh-112559, 3.11/3.12):
    for a 100k-resource Inventory that repr costs seconds and a copy of its text in memory."""
    box: list[T] = []

    async def keep() -> None:
        box.append(await coro)

    asyncio.run(keep())
    return box[0]


async def collect_inventory(env: Environment, progress: ProgressCallback | None = None,
                            traffic_names: tuple[str, ...] = ()) -> Inventory:
    from auditor.collect.deadline import collection_deadline

    # One deadline for the whole collection: past it, what is left becomes gaps.
    with collection_deadline(env.config.collect.deadline_seconds):
        return await _collect_inventory(env, progress, traffic_names)


async def _collect_inventory(env: Environment, progress: ProgressCallback | None,
                             traffic_names: tuple[str, ...]) -> Inventory:
    from auditor.collect.azure import collect_azure
    from auditor.collect.dns import observe_dns
    from auditor.collect.name_availability import check_names
    from auditor.collect.stage_deadline import list_zones_within_deadline as list_zones
    from auditor.collect.stage_deadline import observe_tls_within_deadline as observe_tls

    context = _context(env, progress, traffic_names)
    azure = await collect_azure(context)
    part = azure.partial
    traffic = azure.traffic
    inv = Inventory(
        tenant_id=azure.tenant_id or env.tenant_id or "",
        subscriptions=tuple(azure.subscriptions),
        collected_at=env.as_of,
        resources=tuple(part.resources),
        certificates=tuple(part.certificates),
        custom_domains=tuple(part.custom_domains),
        bindings=tuple(part.bindings),
        dns_records=tuple(part.dns_records),
        references=tuple(part.references),
        gaps=tuple(part.gaps) + tuple(traffic.gaps),
        traffic_window_days=env.config.logs.traffic_window_days if traffic.consulted else 0,
        traffic=tuple(traffic.traffic),
        logged_resources=tuple(traffic.logged_resources),
    )
    # Zones outside Azure DNS (zone files, transfers) add records, or are named as gaps.
    zones = await list_zones(inv, context)
    inv = replace(inv, dns_records=inv.dns_records + tuple(zones.records), gaps=inv.gaps + tuple(zones.gaps))
    # DNS needs the configured names, and TLS probes only the bound names that resolve.
    dns_obs, dns_gaps = await observe_dns(names_to_resolve(inv), context)
    inv = replace(inv, dns=tuple(dns_obs), gaps=inv.gaps + tuple(dns_gaps))
    # Whether the Azure-provided names dangling records point at could be registered today.
    availability, availability_gaps = await check_names(inv, context)
    inv = replace(inv, name_availability=tuple(availability), gaps=inv.gaps + tuple(availability_gaps))
    tls_obs, tls_gaps = await observe_tls(hosts_to_probe(inv), context, env.as_of)
    return replace(inv, tls=tuple(tls_obs), gaps=inv.gaps + tuple(tls_gaps))


def run_audit(env: Environment, *, rules: list[str] | None = None,
              progress: ProgressCallback | None = None) -> AuditOutcome:
    from auditor.core.analyse import analyse
    from auditor.core.decommission import retired_checks

    started = datetime.now(UTC)
    inventory = run_for_result(collect_inventory(env, progress))
    with _analysis_stage(progress):
        result = analyse(inventory, env.config, env.as_of, rules=rules)
        retired = retired_checks(inventory, env.config)
    report = Report(
        as_of=env.as_of,
        started=started,
        finished=datetime.now(UTC),
        tenant_id=inventory.tenant_id,
        subscriptions=inventory.subscriptions,
        gaps=inventory.gaps,
        counts=inventory.counts(),
        findings=tuple(result.findings),
    )
    return AuditOutcome(report=report, inventory=inventory, retired=retired)


def run_inventory(env: Environment, progress: ProgressCallback | None = None) -> Inventory:
    return run_for_result(collect_inventory(env, progress))


def run_decommission(env: Environment, target: str,
                     progress: ProgressCallback | None = None) -> DecommissionResult:
    from auditor.core.decommission import decommission

    inventory = run_for_result(collect_inventory(env, progress, traffic_names=_traffic_target(target)))
    with _analysis_stage(progress):
        return decommission(inventory, env.config, target, env.as_of)


@contextmanager
def _analysis_stage(progress: ProgressCallback | None) -> Iterator[None]:
    """The analysis over a frozen heap, reported as the stage "analysis" (0 of 1, then 1 of 1)
    so a progress display shows it and a measurement can tell it from the collection's close."""
    report = progress or (lambda stage, done, total: None)
    report("analysis", 0, 1)
    with frozen_heap():
        yield
    report("analysis", 1, 1)


def _traffic_target(target: str) -> tuple[str, ...]:
    """A domain or host name target's traffic is read; a certificate's names are not known yet."""
    from auditor.normalise.hostnames import hostname_of, normalise

    text = target.strip()
    name = hostname_of(text) if "://" in text else normalise(text)
    return (name,) if name and "/" not in text and hostname_of(name) == name else ()
