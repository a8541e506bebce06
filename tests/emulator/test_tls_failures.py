"""TLS failure modes: tls/<host>.json "fail" and faults.json, seen from the client's socket."""

from __future__ import annotations

import json
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.emulator.tls_hold import HeldConnections
from auditor.emulator.tls_server import TlsServer
from auditor.estate.load import Fault

FAILING = {"refused.contoso.com": "refused", "reset.contoso.com": "reset", "slow.contoso.com": "timeout"}


@pytest.fixture(scope="module")
def tls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("estate") / "tls"
    folder.mkdir()
    ca = trustme.CA()
    for host in ["www.contoso.com", "api.contoso.com", *FAILING]:
        leaf = ca.issue_cert(host)
        (folder / f"{host}.pem").write_bytes(leaf.private_key_and_cert_chain_pem.bytes())
    for host, mode in FAILING.items():
        (folder / f"{host}.json").write_text(json.dumps({"fail": mode}))
    return folder


@pytest.fixture
def log() -> RequestLog:
    return RequestLog()


@pytest.fixture
def serve(tls_dir: Path, log: RequestLog) -> Iterator[Callable[..., int]]:
    servers: list[TlsServer] = []

    def start(faults: list[Fault] | None = None) -> int:
        server = TlsServer(tls_dir, FaultPlan(faults or []), log)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


def client_hello(sni: str) -> bytes:
    """The bytes a real client opens with."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    outgoing = ssl.MemoryBIO()
    tls = ctx.wrap_bio(ssl.MemoryBIO(), outgoing, server_hostname=sni)
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


def raw_exchange(port: int, sni: str, timeout: float = 2.0) -> tuple[bytes, BaseException | None]:
    """Sends a ClientHello; returns what came back before the connection ended, and how it ended."""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(client_hello(sni))
        while True:
            try:
                chunk = sock.recv(65536)
            except OSError as exc:
                return received, exc
            if not chunk:
                return received, None
            received += chunk


def tls_handshake(port: int, sni: str, timeout: float = 2.0) -> str:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw, \
            ctx.wrap_socket(raw, server_hostname=sni) as tls:
        return str(tls.version())


def statuses(log: RequestLog, count: int) -> list[str]:
    """The TLS log once it holds `count` entries: a TLS 1.3 client is done before the server logs."""
    deadline = time.monotonic() + 5
    while len(log.entries("tls")) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return [e.status for e in log.entries("tls")]


def test_refused_resets_before_sending_anything(serve):
    port = serve()
    received, ended = raw_exchange(port, "refused.contoso.com")
    assert received == b"" and isinstance(ended, ConnectionResetError)


def test_reset_sends_the_server_hello_then_resets(serve):
    port = serve()
    received, ended = raw_exchange(port, "reset.contoso.com")
    assert received[:1] == b"\x16"  # a handshake record: the ServerHello got out
    assert isinstance(ended, ConnectionResetError)
    # The reset can overtake the ServerHello under load: then the client sees a TLS error instead.
    with pytest.raises((ConnectionResetError, ssl.SSLError)):
        tls_handshake(port, "reset.contoso.com")


def test_timeout_holds_the_connection_silent_until_stop(tls_dir, log):
    server = TlsServer(tls_dir, FaultPlan([]), log)
    port = server.start()
    with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
        sock.sendall(client_hello("slow.contoso.com"))
        with pytest.raises(TimeoutError):
            sock.recv(1)
        assert tls_handshake(port, "www.contoso.com") == "TLSv1.3"  # the hold blocks nobody else
        server.stop()
        sock.settimeout(2)
        assert sock.recv(1) == b""  # released at stop
    assert [e.status for e in log.entries("tls")][0] == "fail:timeout"


def test_held_connections_are_released_after_their_time():
    held = HeldConnections(hold_seconds=0.1)
    ours, theirs = socket.socketpair()
    try:
        assert held.hold(ours)
        theirs.settimeout(2)
        started = time.monotonic()
        assert theirs.recv(1) == b""
        assert time.monotonic() - started < 1.5
    finally:
        held.close()
        theirs.close()


def test_fail_modes_are_logged(serve, log):
    port = serve()
    raw_exchange(port, "refused.contoso.com")
    raw_exchange(port, "reset.contoso.com")
    assert [(e.key, e.status) for e in log.entries("tls")] == [
        ("refused.contoso.com", "fail:refused"), ("reset.contoso.com", "fail:reset")]


def test_timeout_fault_fires_its_times_then_stops(serve, log):
    port = serve([Fault(service="tls", match="www.contoso", status="timeout", times=1)])
    with pytest.raises(TimeoutError):
        tls_handshake(port, "www.contoso.com", timeout=0.3)
    assert tls_handshake(port, "www.contoso.com") == "TLSv1.3"
    assert tls_handshake(port, "api.contoso.com") == "TLSv1.3"
    assert statuses(log, 3) == ["fault:timeout", "handshake", "handshake"]


def test_malformed_fault_answers_with_something_that_is_not_tls(serve, log):
    port = serve([Fault(service="tls", match="api.", status="malformed", times=2)])
    for _ in range(2):
        with pytest.raises(ssl.SSLError):
            tls_handshake(port, "api.contoso.com")
    assert tls_handshake(port, "api.contoso.com") == "TLSv1.3"
    assert statuses(log, 3) == ["fault:malformed", "fault:malformed", "handshake"]


def test_other_fault_statuses_reset_the_connection(serve, log):
    port = serve([Fault(service="tls", match="contoso.com", status=503)])
    # The reset can overtake the ServerHello under load: then the client sees a TLS error instead.
    with pytest.raises((ConnectionResetError, ssl.SSLError)):
        tls_handshake(port, "www.contoso.com")
    assert statuses(log, 1)[0] == "fault:reset"


def test_bytes_that_are_not_tls_are_dropped_and_logged(serve, log):
    port = serve()
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: www.contoso.com\r\n\r\n")
        assert sock.recv(1) == b""
    assert [e.status for e in log.entries("tls")] == ["not-tls"]
