"""One server-side TLS session over a plain socket, driven through memory BIOs.

The ClientHello has already been read off the socket (to route it by SNI), so
OpenSSL gets it from memory and the rest of the conversation is pumped by hand.
"""

from __future__ import annotations

import contextlib
import socket
import ssl

_CHUNK = 16384
MAX_REQUEST = 64 * 1024
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
             b"Connection: close\r\n\r\nok\n")


class TlsSession:
    def __init__(self, sock: socket.socket, ctx: ssl.SSLContext, hello: bytes) -> None:
        self._sock = sock
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = ctx.wrap_bio(self._incoming, self._outgoing, server_side=True)
        self._incoming.write(hello)

    @property
    def version(self) -> str | None:
        return self._tls.version()

    def server_hello(self) -> None:
        """Sends the first record of the server's answer (the ServerHello, or OpenSSL's alert) only.

        Not the whole flight: in TLS 1.3 that would let the client finish its side of the handshake.
        """
        # SSLWantReadError is the expected stop: the client's next flight is never fed in
        with contextlib.suppress(ssl.SSLError):
            self._tls.do_handshake()
        flight = self._outgoing.read()
        if len(flight) >= 5:
            self._sock.sendall(flight[:5 + int.from_bytes(flight[3:5], "big")])

    def handshake(self) -> None:
        """The whole handshake; raises ssl.SSLError (after sending OpenSSL's alert) or OSError."""
        while True:
            try:
                self._tls.do_handshake()
                self._flush()
                return
            except ssl.SSLWantReadError:
                self._flush()
                self._receive()
            except ssl.SSLError:
                self._flush()
                raise

    def answer_http(self) -> None:
        """Reads a request (if the client sends one) and answers it, then closes the session."""
        request = bytearray()
        while b"\r\n\r\n" not in request and len(request) < MAX_REQUEST:
            try:
                chunk = self._tls.read(_CHUNK)
            except ssl.SSLWantReadError:
                self._flush()
                if not self._receive():
                    return
                continue
            except ssl.SSLZeroReturnError:
                return  # the client said close_notify without asking anything
            if not chunk:
                return
            request += chunk
        self._tls.write(RESPONSE)
        self._close_notify()
        self._flush()

    def _close_notify(self) -> None:
        # the client's close_notify is not awaited: the socket closes next
        with contextlib.suppress(ssl.SSLWantReadError):
            self._tls.unwrap()

    def _receive(self) -> bool:
        data = self._sock.recv(_CHUNK)
        if data:
            self._incoming.write(data)
        else:
            self._incoming.write_eof()
        return bool(data)

    def _flush(self) -> None:
        data = self._outgoing.read()
        if data:
            self._sock.sendall(data)
