"""Just enough of a TLS ClientHello to route it: the SNI host name.

OpenSSL settles the protocol version before Python's sni_callback runs, so the
TLS server reads the hello itself, picks the host's SSLContext (with that
host's versions) and only then hands the bytes to OpenSSL.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_HELLO = 64 * 1024           # a ClientHello bigger than this is not one we serve
_HANDSHAKE = 22
_CLIENT_HELLO = 1
_SERVER_NAME = 0
_HOST_NAME = 0


class NotClientHello(ValueError):
    """The bytes are not the start of a TLS handshake."""


@dataclass(frozen=True)
class ClientHello:
    server_name: str | None      # lower-case, without a trailing dot; None without SNI
    legacy_version: int          # the record layer's version, for alerts sent before OpenSSL runs


def parse_client_hello(data: bytes) -> ClientHello | None:
    """The hello in `data`, or None when more bytes are needed. Raises NotClientHello."""
    body = _handshake_message(data)
    if body is None:
        return None
    return ClientHello(server_name=_server_name(body), legacy_version=int.from_bytes(data[1:3], "big"))


def _handshake_message(data: bytes) -> bytes | None:
    """The ClientHello body, reassembled from as many records as it spans."""
    fragments = bytearray()
    offset = 0
    while True:
        if len(data) - offset < 5:
            return None
        content_type, length = data[offset], int.from_bytes(data[offset + 3:offset + 5], "big")
        if content_type != _HANDSHAKE or data[offset + 1] != 3 or length == 0:
            raise NotClientHello("not a TLS handshake record")
        if len(data) - offset - 5 < length:
            return None
        fragments += data[offset + 5:offset + 5 + length]
        offset += 5 + length
        if fragments[0] != _CLIENT_HELLO:
            raise NotClientHello("the first handshake message is not a ClientHello")
        if len(fragments) >= 4:
            needed = int.from_bytes(fragments[1:4], "big")
            if needed > MAX_HELLO:
                raise NotClientHello("ClientHello too large")
            if len(fragments) - 4 >= needed:
                return bytes(fragments[4:4 + needed])


def _server_name(body: bytes) -> str | None:
    reader = _Reader(body)
    reader.take(2 + 32)                     # legacy_version, random
    reader.take(reader.number(1))           # legacy_session_id
    reader.take(reader.number(2))           # cipher_suites
    reader.take(reader.number(1))           # legacy_compression_methods
    if reader.done():
        return None                         # no extensions at all
    extensions = _Reader(reader.take(reader.number(2)))
    while not extensions.done():
        kind = extensions.number(2)
        payload = _Reader(extensions.take(extensions.number(2)))
        if kind != _SERVER_NAME:
            continue
        names = _Reader(payload.take(payload.number(2)))
        while not names.done():
            name_type = names.number(1)
            name = names.take(names.number(2))
            if name_type == _HOST_NAME:
                try:
                    return name.decode("ascii").rstrip(".").lower()
                except UnicodeDecodeError:
                    raise NotClientHello("server name is not ASCII") from None
    return None


class _Reader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def done(self) -> bool:
        return self._at >= len(self._data)

    def take(self, count: int) -> bytes:
        if self._at + count > len(self._data):
            raise NotClientHello("ClientHello is cut short")
        chunk = self._data[self._at:self._at + count]
        self._at += count
        return chunk

    def number(self, width: int) -> int:
        return int.from_bytes(self.take(width), "big")
