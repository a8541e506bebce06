"""The TLS and zone-listing stages within the collection deadline.

Probing and listing are their own modules' jobs; this only bounds each as a whole. Past the
deadline (or when it is already spent) every host not probed, and every zone not listed, is a
`timeout` gap naming it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from datetime import datetime

from auditor.collect import deadline
from auditor.collect.context import CollectContext
from auditor.collect.tls import observe_tls
from auditor.collect.zone_sources import AZURE_DNS_ZONE_TYPE, ZoneListing, list_zones
from auditor.collect.zones_that_matter import hosts_by_domain
from auditor.model import Inventory
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.model.tls import TlsObservation
from auditor.normalise.hostnames import normalise


async def observe_tls_within_deadline(hosts: Iterable[str], context: CollectContext, as_of: datetime
                                      ) -> tuple[list[TlsObservation], list[CoverageGap]]:
    names = list(hosts)
    left = deadline.remaining()
    if left is None:
        return await observe_tls(names, context, as_of)
    if left > 0:
        # The deadline passing mid-stage leaves every host to the gaps below.
        with contextlib.suppress(TimeoutError):
            return await asyncio.wait_for(observe_tls(names, context, as_of), left)
    current = deadline.current()
    detail = f"not probed: {current.detail() if current else 'collection deadline reached'}"
    return [], [CoverageGap(Source.TLS, host, GapReason.TIMEOUT, detail) for host in names]


async def list_zones_within_deadline(inventory: Inventory, context: CollectContext) -> ZoneListing:
    """Listing the zones outside Azure DNS (NS look-ups, transfers, staleness checks) within the
    deadline; past it, every zone that matters and Azure DNS does not hold is a `timeout` gap."""
    left = deadline.remaining()
    if left is None:
        return await list_zones(inventory, context)
    if left > 0:
        with contextlib.suppress(TimeoutError):
            return await asyncio.wait_for(list_zones(inventory, context), left)
    current = deadline.current()
    detail = f"not listed: {current.detail() if current else 'collection deadline reached'}"
    azure = {normalise(r.name) for r in inventory.resources if r.type.lower() == AZURE_DNS_ZONE_TYPE}
    zones = sorted(z for z in hosts_by_domain(inventory, context.config) if z not in azure)
    return ZoneListing(gaps=[CoverageGap(Source.DNS_ZONE, zone, GapReason.TIMEOUT, detail) for zone in zones])
