"""The estate's authoritative DNS on 127.0.0.1, UDP and TCP on one port.

Runs its own asyncio loop in a thread so the emulator can start and stop it
synchronously. Faults (service "dns", match = substring of the query name):
"timeout" drops the query, "malformed" answers with bytes that do not parse,
anything else ("servfail", or an HTTP status) answers SERVFAIL.
"""

from __future__ import annotations

import asyncio
import struct
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, cast

import dns.exception
import dns.message
import dns.rcode
import dns.rdatatype

from auditor.emulator.dns_answer import answer, wire_limit
from auditor.emulator.dns_transfer import is_transfer, transfer
from auditor.emulator.dns_zones import load_zones
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog

HOST = "127.0.0.1"
MAX_IN_FLIGHT = 64              # queries answered at once, UDP and TCP together
MAX_QUEUED = 1024               # UDP queries waiting for a slot; beyond that they are dropped
TCP_IDLE_TIMEOUT = 10.0         # seconds a TCP client may stay silent between queries
_BIND_ATTEMPTS = 20


class DnsServer:
    def __init__(self, zone_files: list[Path], faults: FaultPlan, log: RequestLog,
                 latency: float = 0.0, axfr_zones: frozenset[str] = frozenset()) -> None:
        self._zones = load_zones(list(zone_files))
        self._axfr = axfr_zones
        self._faults = faults
        self._log = log
        self._latency = latency
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._tcp: asyncio.Server | None = None
        self._slots: asyncio.Semaphore | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    def start(self) -> int:
        if self._loop is not None:
            raise RuntimeError("DNS server already started")
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="emulator-dns", daemon=True)
        self._thread.start()
        try:
            self.port = asyncio.run_coroutine_threadsafe(self._bind(), loop).result(timeout=10)
        except BaseException:
            self.stop()
            raise
        return self.port

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if loop.is_running():
            asyncio.run_coroutine_threadsafe(self._close(), loop).result(timeout=10)
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        self._loop = self._thread = None

    async def _bind(self) -> int:
        self._slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        loop = asyncio.get_running_loop()
        last_error: OSError | None = None
        for _ in range(_BIND_ATTEMPTS):
            tcp = await asyncio.start_server(self._serve_tcp, HOST, 0)
            port = int(tcp.sockets[0].getsockname()[1])
            try:
                udp, _protocol = await loop.create_datagram_endpoint(
                    lambda: _UdpProtocol(self), local_addr=(HOST, port))
            except OSError as exc:  # the UDP twin of this port is taken: try another
                last_error = exc
                tcp.close()
                await tcp.wait_closed()
                continue
            self._tcp, self._udp = tcp, udp
            return port
        raise OSError(f"no free port for DNS on {HOST} with both UDP and TCP: {last_error}")

    async def _close(self) -> None:
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            self._tcp.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._tcp is not None:
            await self._tcp.wait_closed()

    def _track(self, coro: Coroutine[Any, Any, None]) -> None:
        if len(self._tasks) >= MAX_QUEUED:
            coro.close()
            return
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _respond(self, wire: bytes, over_udp: bool) -> bytes | list[bytes] | None:
        """The bytes to send back for one query (several messages for a zone transfer),
        or None to stay silent."""
        assert self._slots is not None
        async with self._slots:
            if self._latency:
                await asyncio.sleep(self._latency)
            return self._handle(wire, over_udp)

    def _handle(self, wire: bytes, over_udp: bool) -> bytes | list[bytes] | None:
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            self._log.add("dns", "", "FORMERR")
            return _formerr(wire)
        if not query.question:
            self._log.add("dns", "", "FORMERR")
            return _formerr(wire)
        question = query.question[0]
        key = f"{question.name.to_text(omit_final_dot=True).lower()} {dns.rdatatype.to_text(question.rdtype)}"
        fault = self._faults.take("dns", question.name.to_text().lower())
        if fault is not None:
            status = str(fault.status)
            if status == "timeout":
                self._log.add("dns", key, "fault:timeout")
                return None
            if status == "malformed":
                self._log.add("dns", key, "fault:malformed")
                return _garbage(query.id)
            # "refused" answers REFUSED, as a server that will not serve the name; anything
            # else (servfail, an HTTP status) a server failure.
            refused = status == "refused"
            self._log.add("dns", key, "fault:refused" if refused else "fault:servfail")
            failed = dns.message.make_response(query)
            failed.set_rcode(dns.rcode.REFUSED if refused else dns.rcode.SERVFAIL)
            return failed.to_wire()
        if is_transfer(query):
            messages, allowed = transfer(query, self._zones, self._axfr, over_udp)
            self._log.add("dns", key, "NOERROR" if allowed else "REFUSED")
            return messages[0] if over_udp else messages
        response = answer(query, self._zones)
        limit = wire_limit(query) if over_udp else 65535
        out = response.to_wire(max_size=limit, prefer_truncation=True)
        self._log.add("dns", key, dns.rcode.to_text(response.rcode()))
        return out

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            while True:
                try:
                    header = await asyncio.wait_for(reader.readexactly(2), TCP_IDLE_TIMEOUT)
                    (length,) = struct.unpack("!H", header)
                    wire = await asyncio.wait_for(reader.readexactly(length), TCP_IDLE_TIMEOUT)
                except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
                    return
                out = await self._respond(wire, over_udp=False)
                for message in [out] if isinstance(out, bytes) else out or []:
                    writer.write(struct.pack("!H", len(message)) + message)
                await writer.drain()
        except ConnectionError:
            return  # the client went away mid-answer: nothing left to tell it
        finally:
            writer.close()
            if task is not None:
                self._tasks.discard(task)


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(self, server: DnsServer) -> None:
        self._server = server
        self._transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | int, int]) -> None:
        self._server._track(self._reply(data, addr))

    async def _reply(self, data: bytes, addr: tuple[str | int, int]) -> None:
        out = await self._server._respond(data, over_udp=True)
        if isinstance(out, bytes) and self._transport is not None and not self._transport.is_closing():
            self._transport.sendto(out, addr)


def _formerr(wire: bytes) -> bytes | None:
    """A header-only FORMERR echoing the query id, when there is an id to echo."""
    if len(wire) < 2:
        return None
    flags = 0x8000 | dns.rcode.FORMERR
    return wire[:2] + struct.pack("!HHHHH", flags, 0, 0, 0, 0)


def _garbage(query_id: int) -> bytes:
    """A reply with the query's id whose counts promise records that never come."""
    return struct.pack("!HHHHHH", query_id, 0x8180, 1, 0xFFFF, 0, 0) + b"\xc0\x0c\xff"
