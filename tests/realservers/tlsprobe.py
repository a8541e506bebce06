"""One TLS handshake against a loopback port: the protocol agreed and the chain served."""

from __future__ import annotations

import select
import socket
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from OpenSSL import SSL

_VERSIONS = {"TLSv1": SSL.TLS1_VERSION, "TLSv1.1": SSL.TLS1_1_VERSION,
             "TLSv1.2": SSL.TLS1_2_VERSION, "TLSv1.3": SSL.TLS1_3_VERSION}


@dataclass(frozen=True)
class TlsProbe:
    version: str | None                  # "TLSv1.2", ...; None when the handshake failed
    chain_sha256: tuple[str, ...]        # the served chain, leaf first, as sent
    error: str | None = None             # why the handshake failed

    @property
    def ok(self) -> bool:
        return self.error is None


def probe_tls(port: int, sni: str | None, min_version: str = "TLSv1", max_version: str = "TLSv1.3",
              timeout: float = 5.0) -> TlsProbe:
    """Handshakes without verifying (the chain is what is being looked at), at any security level."""
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_min_proto_version(_VERSIONS[min_version])
    ctx.set_max_proto_version(_VERSIONS[max_version])
    ctx.set_cipher_list(b"DEFAULT:@SECLEVEL=0")
    ctx.set_verify(SSL.VERIFY_NONE, lambda *_: True)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.setblocking(False)
        conn = SSL.Connection(ctx, sock)
        if sni is not None:
            conn.set_tlsext_host_name(sni.encode("ascii"))
        conn.set_connect_state()
        try:
            _handshake(conn, sock, time.monotonic() + timeout)
        except (SSL.Error, OSError) as exc:
            return TlsProbe(version=None, chain_sha256=(), error=f"{type(exc).__name__}: {exc}")
        chain = conn.get_peer_cert_chain(as_cryptography=True) or []
        fingerprints = tuple(cert.fingerprint(hashes.SHA256()).hex() for cert in chain)
        return TlsProbe(version=conn.get_protocol_version_name(), chain_sha256=fingerprints)


def _handshake(conn: SSL.Connection, sock: socket.socket, deadline: float) -> None:
    while True:
        try:
            conn.do_handshake()
            return
        except SSL.WantReadError:
            waiting = ([sock], [], [])
        except SSL.WantWriteError:
            waiting = ([], [sock], [])
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not any(select.select(*waiting, remaining)):
            raise TimeoutError("handshake timed out")
