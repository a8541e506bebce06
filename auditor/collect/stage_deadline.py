"""The TLS stage within the collection deadline.

TLS probing is its own module's job; this only bounds it as a whole. Past the deadline
(or when it is already spent) every host not probed is a `timeout` gap naming it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from datetime import datetime

from auditor.collect import deadline
from auditor.collect.context import CollectContext
from auditor.collect.tls import observe_tls
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.model.tls import TlsObservation


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
