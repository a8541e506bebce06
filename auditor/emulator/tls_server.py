"""The estate's TLS endpoints: one 127.0.0.1 port, the certificate chosen by SNI.

Each connection's ClientHello is read first and routed by its server name to
that host's SSLContext, so per-host protocol versions really apply (OpenSSL
fixes the version before an sni_callback could switch contexts). A name with no
tls/<host>.pem gets tls/_default.pem when there is one, else an
unrecognized_name alert; a hello without SNI gets _default.pem or a
handshake_failure alert.

Failures, from tls/<host>.json "fail" or faults.json (service "tls", match =
substring of the SNI host): "refused" resets the TCP connection as soon as the
hello is read, so the client receives nothing; "reset" sends the ServerHello and
then resets, so the client dies mid-handshake; "timeout" holds the
connection silent (tls_hold). Fault statuses "malformed" answer with bytes that
are not TLS; any other fault status resets like "reset".
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from auditor.emulator.clienthello import ClientHello, NotClientHello, parse_client_hello
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.emulator.tls_hold import HeldConnections
from auditor.emulator.tls_hosts import DEFAULT_HOST, FailMode, TlsHost, load_tls_hosts
from auditor.emulator.tls_session import TlsSession

HOST = "127.0.0.1"
MAX_CONNECTIONS = 32            # connections served at once; more wait in the listen backlog
IO_TIMEOUT = 10.0               # seconds a client may stay silent mid-conversation
_ALERT_HANDSHAKE_FAILURE = 40
_ALERT_UNRECOGNIZED_NAME = 112


class TlsServer:
    def __init__(self, tls_dir: Path | None, faults: FaultPlan, log: RequestLog,
                 latency: float = 0.0) -> None:
        self._hosts = load_tls_hosts(Path(tls_dir) if tls_dir is not None else None)
        self._contexts = {name: ctx for name, host in self._hosts.items()
                          if (ctx := host.context()) is not None}
        self._faults = faults
        self._log = log
        self._latency = latency
        self._stopping = threading.Event()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._listener: socket.socket | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._held: HeldConnections | None = None
        self._acceptor: threading.Thread | None = None
        self.port = 0

    def start(self) -> int:
        if self._listener is not None:
            raise RuntimeError("TLS server already started")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, 0))
        listener.listen(128)
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._pool = ThreadPoolExecutor(MAX_CONNECTIONS, thread_name_prefix="emulator-tls")
        self._held = HeldConnections()
        self._acceptor = threading.Thread(target=self._accept, name="emulator-tls-accept", daemon=True)
        self._acceptor.start()
        return self.port

    def stop(self) -> None:
        if self._listener is None:
            return
        self._stopping.set()
        # shutdown() wakes the blocked accept(); where it is refused, close() below does instead
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        if self._acceptor is not None:
            self._acceptor.join(timeout=10)
        if self._held is not None:
            self._held.close()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._listener = None

    def _accept(self) -> None:
        assert self._listener is not None and self._pool is not None
        while not self._stopping.is_set():
            if not self._slots.acquire(timeout=0.5):
                continue
            try:
                conn, _addr = self._listener.accept()
            except OSError:
                self._slots.release()
                return  # the listener was shut down by stop()
            self._pool.submit(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(IO_TIMEOUT)
            if self._latency and self._stopping.wait(self._latency):
                conn.close()
                return
            self._converse(conn)
        finally:
            self._slots.release()

    def _converse(self, conn: socket.socket) -> None:
        """Routes one connection; the connection is closed (or held) when this returns."""
        keep_open = False
        key = ""
        try:
            raw, hello = _read_hello(conn)
            if hello is None:
                self._log.add("tls", "", "no-hello")
                return
            key = hello.server_name or ""
            host = self._route(hello.server_name)
            fault = self._faults.take("tls", key)
            if fault is not None:
                keep_open = self._fail(conn, raw, host, _fault_mode(fault.status), key, "fault")
                return
            if host is not None and host.fail is not None:
                keep_open = self._fail(conn, raw, host, host.fail, key, "fail")
                return
            ctx = self._contexts.get(host.name) if host is not None else None
            if ctx is None:
                alert = _ALERT_UNRECOGNIZED_NAME if hello.server_name else _ALERT_HANDSHAKE_FAILURE
                conn.sendall(_alert(hello, alert))
                self._log.add("tls", key, "unrecognized-name" if hello.server_name else "no-certificate")
                return
            session = TlsSession(conn, ctx, raw)
            try:
                session.handshake()
            except OSError as exc:  # ssl.SSLError included: the client learnt why from the alert
                self._log.add("tls", key, f"handshake-failed:{_reason(exc)}")
                return
            self._log.add("tls", key, "handshake")
            try:
                session.answer_http()
            except OSError:
                return  # a probe that leaves right after the handshake is not an error
        except NotClientHello:
            self._log.add("tls", key, "not-tls")
        except OSError as exc:
            self._log.add("tls", key, f"connection-error:{_reason(exc)}")
        finally:
            if not keep_open:
                conn.close()

    def _route(self, server_name: str | None) -> TlsHost | None:
        if server_name is not None and server_name in self._hosts:
            return self._hosts[server_name]
        return self._hosts.get(DEFAULT_HOST)

    def _fail(self, conn: socket.socket, raw: bytes, host: TlsHost | None, mode: FailMode | str,
              key: str, origin: str) -> bool:
        """Breaks the connection as `mode` says; True when the connection is now held open."""
        label = mode.value if isinstance(mode, FailMode) else mode
        self._log.add("tls", key, f"{origin}:{label}")
        if mode == FailMode.TIMEOUT:
            assert self._held is not None
            return self._held.hold(conn)
        if mode == "malformed":
            conn.sendall(b"\x15\x03\x03\xff\xffnot a TLS record")
            return False
        if mode == FailMode.RESET:
            ctx = self._contexts.get(host.name) if host is not None else None
            if ctx is not None:
                TlsSession(conn, ctx, raw).server_hello()
                # Let the client read the ServerHello first: a RST that overtakes it
                # would look like "refused" to the client.
                time.sleep(RESET_GRACE_SECONDS)
        _reset(conn)
        return False


RESET_GRACE_SECONDS = 0.1


def _read_hello(conn: socket.socket) -> tuple[bytes, ClientHello | None]:
    raw = b""
    while True:
        chunk = conn.recv(16384)
        if not chunk:
            return raw, None
        raw += chunk
        hello = parse_client_hello(raw)
        if hello is not None:
            return raw, hello


def _fault_mode(status: int | str) -> FailMode | str:
    if status == "timeout":
        return FailMode.TIMEOUT
    if status == "malformed":
        return "malformed"
    if status == "refused":
        return FailMode.REFUSED
    return FailMode.RESET


def _alert(hello: ClientHello, description: int) -> bytes:
    """A plaintext fatal alert, as a server sends it before any ServerHello."""
    return struct.pack("!BHHBB", 21, hello.legacy_version, 2, 2, description)


def _reset(conn: socket.socket) -> None:
    """Close with a TCP RST instead of a FIN (SO_LINGER with a zero timeout)."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _reason(exc: OSError) -> str:
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return str(exc.reason).lower()
    if isinstance(exc, TimeoutError):
        return "timeout"
    return type(exc).__name__.lower()
