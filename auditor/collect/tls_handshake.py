"""One blocking TLS handshake that keeps whatever the server sent, trusted or not.

Python's ssl module hides the served chain when verification is off, so this uses
pyOpenSSL with verification disabled: the chain is judged later, at the audit's
clock, by auditor.normalise.tls_verify. Run it in a worker thread.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from enum import IntEnum

from cryptography import x509
from OpenSSL import SSL

from auditor.model.tls import TlsStatus

_LEGACY_CIPHERS = b"DEFAULT:@SECLEVEL=0"   # so OpenSSL 3+ will offer what TLS 1.0/1.1 need
_VERSION_NAMES = {"TLSv1": "TLSv1.0"}
_TLS13_CONFIRM_SECONDS = 0.5


class Protocol(IntEnum):
    TLS10 = SSL.TLS1_VERSION
    TLS11 = SSL.TLS1_1_VERSION
    TLS12 = SSL.TLS1_2_VERSION


@dataclass(frozen=True)
class Handshake:
    status: TlsStatus
    chain: tuple[x509.Certificate, ...] = ()   # as served, leaf first
    version: str | None = None                 # "TLSv1.3"
    detail: str = ""
    unreachable: bool = False                  # no route to the endpoint (not a refusal)
    ocsp_response: bytes | None = None         # the stapled OCSP response (b"": none); None: not asked


def handshake(address: tuple[str, int], sni: str | None, timeout: float,
              only: Protocol | None = None, ocsp: bool = False) -> Handshake:
    """Connect to `address`, send `sni` (None: no SNI) and complete a handshake within
    `timeout` seconds. `only` pins one protocol version (the legacy probes); otherwise
    TLS 1.2 or later, as a current client would. `ocsp` asks for a stapled OCSP response
    (status_request) in the same handshake."""
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection(address, timeout=timeout)
    except socket.gaierror as exc:
        return Handshake(TlsStatus.NOT_RESOLVED, detail=f"{address[0]} does not resolve: {exc.strerror}")
    except ConnectionRefusedError:
        return Handshake(TlsStatus.REFUSED, detail=f"connection to port {address[1]} refused")
    except ConnectionResetError:
        return Handshake(TlsStatus.RESET, detail="connection reset while connecting")
    except TimeoutError:
        return Handshake(TlsStatus.TIMEOUT, detail=f"no connection within {timeout:g}s")
    except OSError as exc:
        return Handshake(TlsStatus.REFUSED, detail=f"cannot connect: {exc.strerror or exc}", unreachable=True)
    try:
        return _negotiate(sock, sni, deadline, timeout, only, ocsp)
    finally:
        sock.close()


def _negotiate(sock: socket.socket, sni: str | None, deadline: float, timeout: float,
               only: Protocol | None, ocsp: bool) -> Handshake:
    context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    context.set_verify(SSL.VERIFY_NONE)
    # The chain is judged afterwards, weak keys and signatures included: OpenSSL's security
    # level must not end the handshake on them before we have seen the certificate.
    context.set_cipher_list(_LEGACY_CIPHERS)
    stapled: list[bytes] = []
    if ocsp:
        context.set_ocsp_client_callback(_keep_staple, stapled)
    if only is None:
        context.set_min_proto_version(SSL.TLS1_2_VERSION)
    else:
        context.set_min_proto_version(int(only))
        context.set_max_proto_version(int(only))
    # Memory BIOs: every byte passes through here, so we know whether the server spoke.
    conn = SSL.Connection(context, None)
    if sni:
        conn.set_tlsext_host_name(sni.encode("idna"))
    if ocsp:
        conn.request_ocsp()
    conn.set_connect_state()
    received = 0
    try:
        while True:
            try:
                conn.do_handshake()
                finished = True
            except SSL.WantReadError:
                finished = False
            _send_pending(conn, sock, deadline)
            if finished:
                break
            data = _receive(sock, deadline)
            if not data:
                return _closed(received > 0, "closed")
            received += len(data)
            conn.bio_write(data)
        version = conn.get_protocol_version_name()
        # In TLS 1.3 the client finishes first, so a server that hangs up right after its
        # first flight would pass for a success: wait briefly for its next word (session
        # tickets, which most servers send at once) or its reset.
        if version == "TLSv1.3":
            _receive(sock, min(deadline, time.monotonic() + _TLS13_CONFIRM_SECONDS), quiet_ok=True)
    except TimeoutError:
        return Handshake(TlsStatus.TIMEOUT, detail=f"no handshake within {timeout:g}s")
    except (ConnectionResetError, BrokenPipeError):
        return _closed(received > 0, "reset")
    except SSL.Error as exc:
        return Handshake(TlsStatus.HANDSHAKE_FAILED, detail=f"handshake failed: {_error_text(exc)}")
    chain = tuple(conn.get_peer_cert_chain(as_cryptography=True) or ())
    return Handshake(TlsStatus.OK, chain, _VERSION_NAMES.get(version, version),
                     ocsp_response=(stapled[0] if stapled else b"") if ocsp else None)


def _keep_staple(conn: SSL.Connection, response: bytes, kept: list[bytes] | None) -> bool:
    """Keeps the stapled response for judging later; True so the handshake goes on whatever it says."""
    if response and kept is not None:
        kept.append(bytes(response))
    return True


def _send_pending(conn: SSL.Connection, sock: socket.socket, deadline: float) -> None:
    while True:
        try:
            out = conn.bio_read(65536)
        except SSL.WantReadError:
            return
        sock.settimeout(_remaining(deadline))
        sock.sendall(out)


def _receive(sock: socket.socket, deadline: float, quiet_ok: bool = False) -> bytes:
    """The next bytes from the server (b"" when it closed); TimeoutError past the deadline,
    unless `quiet_ok`, when silence until the deadline is an answer too."""
    try:
        sock.settimeout(_remaining(deadline))
        return sock.recv(65536)
    except TimeoutError:
        if quiet_ok:
            return b""
        raise


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _closed(answered: bool, how: str) -> Handshake:
    """A connection that ends before the handshake does: before the server said anything
    it is a refusal (the way an SNI-routing front end turns a name away), after it a reset."""
    if answered:
        return Handshake(TlsStatus.RESET, detail=f"connection {how} during the handshake")
    return Handshake(TlsStatus.REFUSED, detail=f"connection {how} before the server answered the hello")


def _error_text(exc: SSL.Error) -> str:
    """OpenSSL's error queue as one short line."""
    parts: list[str] = []
    for arg in exc.args:
        if isinstance(arg, list):
            parts += [str(item[-1]) for item in arg if isinstance(item, tuple) and item and item[-1]]
        elif arg not in (None, ""):
            parts.append(str(arg))
    return ("; ".join(parts) or type(exc).__name__)[:200]
