"""A server-side TLS session that staples an OCSP response, for hosts whose tls/<host>.json
holds "ocsp_response".

Python's ssl module has no server-side OCSP stapling, so these hosts are served with
pyOpenSSL (OpenSSL's SSL_CTX_set_tlsext_status_cb), the way nginx's `ssl_stapling` and
IIS staple: the response goes out only when the ClientHello asks for it
(status_request, RFC 6066 section 8). Same interface as TlsSession.
"""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

from OpenSSL import SSL

from auditor.emulator.tls_session import MAX_REQUEST, RESPONSE

_CHUNK = 16384
_CIPHERS = b"DEFAULT:@SECLEVEL=0"
_VERSIONS = {0x0301: SSL.TLS1_VERSION, 0x0302: SSL.TLS1_1_VERSION, 0x0303: SSL.TLS1_2_VERSION,
             0x0304: SSL.TLS1_3_VERSION}


class StapleHandshakeError(OSError):
    """The handshake failed; OpenSSL's alert has been sent."""


def stapling_context(pem: Path, min_version: int, max_version: int, response: bytes) -> SSL.Context:
    """A pyOpenSSL server context with `pem`'s chain that staples `response`.
    `min_version`/`max_version` are TLS wire versions (0x0303 = TLS 1.2)."""
    ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    ctx.set_cipher_list(_CIPHERS)
    ctx.set_min_proto_version(_VERSIONS[min_version])
    ctx.set_max_proto_version(_VERSIONS[max_version])
    ctx.use_certificate_chain_file(str(pem))
    ctx.use_privatekey_file(str(pem))
    ctx.set_ocsp_server_callback(lambda _conn, _data: response)
    return ctx


class StaplingSession:
    def __init__(self, sock: socket.socket, ctx: SSL.Context, hello: bytes) -> None:
        self._sock = sock
        self._tls = SSL.Connection(ctx, None)
        self._tls.set_accept_state()
        self._tls.bio_write(hello)

    def handshake(self) -> None:
        while True:
            try:
                self._tls.do_handshake()
                self._flush()
                return
            except SSL.WantReadError:
                self._flush()
                self._receive()
            except SSL.Error as exc:
                self._flush()
                raise StapleHandshakeError(str(exc)) from None

    def answer_http(self) -> None:
        request = bytearray()
        while b"\r\n\r\n" not in request and len(request) < MAX_REQUEST:
            try:
                chunk = self._tls.recv(_CHUNK)
            except SSL.WantReadError:
                self._flush()
                if not self._receive():
                    return
                continue
            except (SSL.ZeroReturnError, SSL.SysCallError):
                return
            if not chunk:
                return
            request += chunk
        self._tls.sendall(RESPONSE)
        with contextlib.suppress(SSL.Error):
            self._tls.shutdown()
        self._flush()

    def _receive(self) -> bool:
        data = self._sock.recv(_CHUNK)
        if data:
            self._tls.bio_write(data)
        else:
            self._tls.bio_shutdown()
        return bool(data)

    def _flush(self) -> None:
        while True:
            try:
                data = self._tls.bio_read(65536)
            except SSL.WantReadError:
                return
            if not data:
                return
            self._sock.sendall(data)
