"""Reading the SNI out of real ClientHellos, whole, split and cut short."""

from __future__ import annotations

import ssl

import pytest

from auditor.emulator.clienthello import NotClientHello, parse_client_hello


def hello(sni: str | None, maximum: ssl.TLSVersion = ssl.TLSVersion.TLSv1_3) -> bytes:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    ctx.maximum_version = maximum
    outgoing = ssl.MemoryBIO()
    tls = ctx.wrap_bio(ssl.MemoryBIO(), outgoing, server_hostname=sni)
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


def fragment(record: bytes, size: int) -> bytes:
    """The same handshake message spread over several records, as some clients send it."""
    header, body = record[:3], record[5:]
    pieces = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(header + len(p).to_bytes(2, "big") + p for p in pieces)


def test_server_name_is_read_lower_case_without_the_root_dot():
    parsed = parse_client_hello(hello("WWW.Contoso.com"))
    assert parsed is not None and parsed.server_name == "www.contoso.com"
    assert parse_client_hello(hello("api.contoso.com", ssl.TLSVersion.TLSv1_2)).server_name == "api.contoso.com"


def test_no_sni_is_none():
    parsed = parse_client_hello(hello(None))
    assert parsed is not None and parsed.server_name is None


def test_a_hello_spread_over_records_is_reassembled():
    whole = hello("split.contoso.com")
    assert parse_client_hello(fragment(whole, 50)).server_name == "split.contoso.com"


def test_partial_bytes_ask_for_more():
    whole = fragment(hello("www.contoso.com"), 100)
    for cut in (0, 3, 5, 60, 105, len(whole) - 1):
        assert parse_client_hello(whole[:cut]) is None
    assert parse_client_hello(whole) is not None


@pytest.mark.parametrize("data", [
    b"GET / HTTP/1.1\r\n\r\n",
    b"\x16\x03\x01\x00\x05\x02\x00\x00\x01\x00",       # a ServerHello, not a ClientHello
    b"\x16\x03\x01\x00\x00",                          # an empty record
    b"\x16\x03\x01\x00\x08\x01\x00\x00\x04\x03\x03\x00\x00",  # a body cut short inside its own length
])
def test_anything_else_is_not_a_client_hello(data):
    with pytest.raises(NotClientHello):
        parse_client_hello(data)
