"""The questions of one DNS stage, with those many names lead to asked once.

Thousands of names climb to the same parents for their CAA set (the zone's apex, `com`)
and many CNAMEs end at the same target (one Front Door endpoint behind hundreds of custom
domains). A caching resolver answers those from its cache; here the first asker's reply
is shared by every later one for the rest of the stage, a single snapshot of what DNS
said. A name's own questions are not kept: each is asked once anyway, and keeping every
answer would hold the whole stage's messages in memory.
"""

from __future__ import annotations

import asyncio

import dns.rdatatype

from auditor.collect.dns_query import Reply, Servers, ask
from auditor.normalise.hostnames import is_under


class Answers:
    def __init__(self, servers: Servers) -> None:
        self.servers = servers
        self._shared: dict[tuple[str, dns.rdatatype.RdataType], asyncio.Task[Reply]] = {}

    async def ask(self, name: str, owner: str, rdtype: dns.rdatatype.RdataType) -> Reply:
        """`owner`'s `rdtype`, asked while observing `name`. The name's own questions and those
        below it (`asuid.<name>`) are asked as they come; any other (a parent, a CNAME target)
        other names may ask too: asked once, its reply (a failure too) shared."""
        if is_under(owner, name):
            return await ask(self.servers, owner, rdtype)
        key = (owner, rdtype)
        task = self._shared.get(key)
        if task is None:
            task = self._shared[key] = asyncio.ensure_future(ask(self.servers, owner, rdtype))
        # A waiter cut off by the deadline must not cancel the question for the others.
        return await asyncio.shield(task)

    def close(self) -> None:
        """At the stage's end: a question every asker gave up on (the deadline) stops too."""
        for task in self._shared.values():
            task.cancel()
        self._shared.clear()
