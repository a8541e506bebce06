"""Plumbing the service collectors share: ARM listings as wire-format JSON, bounded by the
run's limit, failures named as gaps; and the normalisers' output folded into a Partial."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from typing import Any

from azure.mgmt.core.tools import parse_resource_id

from auditor.collect.arm_pacing import prepaid
from auditor.collect.attempt import Attempt, attempt
from auditor.collect.base import CollectRun, Partial
from auditor.model import CoverageGap, GapReason, Source
from auditor.normalise.service_helpers import Extract
from auditor.normalise.validate import check_arm_object, type_from_id


def wire(model: Any) -> dict[str, Any]:
    """An SDK model back to the JSON ARM sent: typespec models keep it as is (unknown keys
    and odd timestamps included); msrest models re-serialise to their REST keys."""
    if isinstance(model, Mapping):
        as_dict = getattr(model, "as_dict", None)
        return dict(as_dict()) if callable(as_dict) else dict(model)
    serialize = getattr(model, "serialize", None)
    if callable(serialize):
        return dict(serialize(keep_readonly=True))
    raise TypeError(f"cannot read {type(model).__name__} as ARM JSON")


def scope_of(resource_id: str) -> tuple[str, str]:
    """(subscription, resource group) of an ARM id."""
    parts = parse_resource_id(resource_id)
    subscription, group = parts.get("subscription"), parts.get("resource_group")
    if not subscription or not group:
        raise ValueError(f"not a resource id in a resource group: {resource_id!r}")
    return str(subscription), str(group)


def scoped(partial: Partial, resource_id: str) -> tuple[str, str] | None:
    """scope_of, with an unreadable id recorded as a malformed gap."""
    try:
        return scope_of(resource_id)
    except ValueError as exc:
        partial.gaps.append(CoverageGap(Source.ARG, resource_id or "(no id)", GapReason.MALFORMED, str(exc)))
        return None


def by_subscription(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        sub = row.get("subscriptionId") or parse_resource_id(str(row.get("id") or "")).get("subscription")
        grouped[str(sub or "")].append(row)
    return grouped


async def list_all(run: CollectRun, target: str, what: str,
                   pager: Callable[[], AsyncIterable[Any]]) -> Attempt[list[dict[str, Any]]]:
    """Every item of one ARM listing (all pages), or a gap naming `target` and `what`."""
    async def read() -> list[dict[str, Any]]:
        async with prepaid(run.clients.read_buckets, target), run.limit:
            items = [wire(item) async for item in pager()]
        for item in items:
            check_arm_object(item, type_from_id(str(item.get("id") or "")))   # ValueError: a malformed gap
        return items

    result = await attempt(Source.ARM, target, read())
    if result.gap is not None:
        return Attempt(None, dataclasses.replace(result.gap, detail=f"{what} not read: {result.gap.detail}"))
    return result


def absorb(partial: Partial, extract: Extract) -> None:
    partial.resources += extract.resources
    partial.certificates += extract.certificates
    partial.custom_domains += extract.custom_domains
    partial.bindings += extract.bindings
    partial.references += extract.references
    partial.dns_records += extract.dns_records


def transform(partial: Partial, target: str, work: Callable[[], Extract]) -> None:
    """Run one pure transform; a payload it cannot read becomes a malformed gap for `target`."""
    try:
        absorb(partial, work())
    except (ValueError, KeyError, TypeError) as exc:
        partial.gaps.append(CoverageGap(Source.ARM, target, GapReason.MALFORMED,
                                        f"{type(exc).__name__}: {exc}"[:300]))


def value_or_gap(partial: Partial, result: Attempt[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The listing's items; a failed listing records its gap and gives nothing to build on."""
    if result.gap is not None:
        partial.gaps.append(result.gap)
        return []
    return list(result.value or [])
