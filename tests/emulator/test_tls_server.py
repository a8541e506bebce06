"""The emulator's TLS port: chains by SNI, per-host protocol versions, logging."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import ssl
import subprocess
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.emulator.tls_hosts import load_tls_hosts
from auditor.emulator.tls_server import TlsServer
from auditor.errors import EstateError

HOSTS = {
    # host: tls/<host>.json, or None
    "www.contoso.com": None,
    "legacy.contoso.com": {"min_version": "TLSv1", "max_version": "TLSv1.3"},
    "modern.contoso.com": {"min_version": "TLSv1.3"},
    "capped.contoso.com": {"max_version": "TLSv1.1"},
}


def fingerprints(pem: bytes) -> list[str]:
    return [c.fingerprint(hashes.SHA256()).hex() for c in x509.load_pem_x509_certificates(pem)]


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def write_estate(tls_dir: Path, ca: trustme.CA, with_default: bool = True) -> None:
    tls_dir.mkdir(parents=True, exist_ok=True)
    intermediate = ca.create_child_ca()
    for host, settings in HOSTS.items():
        leaf = intermediate.issue_cert(host)
        (tls_dir / f"{host}.pem").write_bytes(leaf.private_key_and_cert_chain_pem.bytes())
        if settings is not None:
            (tls_dir / f"{host}.json").write_text(json.dumps(settings))
    # a leaf without its intermediate: served as is, incomplete
    lonely = intermediate.issue_cert("incomplete.contoso.com")
    (tls_dir / "incomplete.contoso.com.pem").write_bytes(
        lonely.private_key_pem.bytes() + lonely.cert_chain_pems[0].bytes())
    # file names are matched case-insensitively, as host names are
    mixed = intermediate.issue_cert("shop.contoso.com")
    (tls_dir / "Shop.Contoso.com.pem").write_bytes(mixed.private_key_and_cert_chain_pem.bytes())
    if with_default:
        default = ca.issue_cert("default.contoso.invalid")
        (tls_dir / "_default.pem").write_bytes(default.private_key_and_cert_chain_pem.bytes())


@pytest.fixture(scope="module")
def tls_dir(tmp_path_factory: pytest.TempPathFactory, ca: trustme.CA) -> Path:
    folder = tmp_path_factory.mktemp("estate") / "tls"
    write_estate(folder, ca)
    return folder


@pytest.fixture(scope="module")
def log() -> RequestLog:
    return RequestLog()


@pytest.fixture(scope="module")
def port(tls_dir: Path, log: RequestLog) -> Iterator[int]:
    server = TlsServer(tls_dir, FaultPlan([]), log)
    yield server.start()
    server.stop()


def client_context(low: ssl.TLSVersion | None = None, high: ssl.TLSVersion | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    with warnings.catch_warnings():  # TLS 1.0/1.1 are deprecated, which is the point of asking
        warnings.simplefilter("ignore", DeprecationWarning)
        if low is not None:
            ctx.minimum_version = low
        if high is not None:
            ctx.maximum_version = high
    return ctx


def handshake(port: int, sni: str | None, ctx: ssl.SSLContext | None = None) -> tuple[str, str]:
    """(protocol version, leaf SHA-256) of one handshake."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
            (ctx or client_context()).wrap_socket(raw, server_hostname=sni) as tls:
        leaf = tls.getpeercert(binary_form=True)
        assert leaf is not None
        return str(tls.version()), x509.load_der_x509_certificate(leaf).fingerprint(hashes.SHA256()).hex()


def served_chain(port: int, sni: str | None) -> list[str]:
    """The chain as `openssl s_client -showcerts` receives it."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    name = ["-servername", sni] if sni else ["-noservername"]
    result = subprocess.run([openssl, "s_client", "-connect", f"127.0.0.1:{port}", *name, "-showcerts"],
                            stdin=subprocess.DEVNULL, capture_output=True, timeout=15)
    return fingerprints(result.stdout)


def test_each_host_gets_its_own_chain_exactly_as_the_pem_holds_it(port, tls_dir):
    for host in [*HOSTS, "incomplete.contoso.com"]:
        expected = fingerprints((tls_dir / f"{host}.pem").read_bytes())
        assert served_chain(port, host) == expected, host
    assert len(served_chain(port, "incomplete.contoso.com")) == 1


def test_sni_is_matched_without_regard_to_case(port, tls_dir):
    shop = fingerprints((tls_dir / "Shop.Contoso.com.pem").read_bytes())[0]
    www = fingerprints((tls_dir / "www.contoso.com.pem").read_bytes())[0]
    assert handshake(port, "SHOP.contoso.COM")[1] == shop
    assert handshake(port, "WWW.Contoso.Com")[1] == www


def test_no_sni_and_unknown_sni_get_the_default(port, tls_dir):
    default = fingerprints((tls_dir / "_default.pem").read_bytes())
    assert served_chain(port, None) == default
    assert handshake(port, None)[1] == default[0]
    assert handshake(port, "unknown.example.org")[1] == default[0]


def test_default_versions_are_tls12_and_up(port):
    assert handshake(port, "www.contoso.com")[0] == "TLSv1.3"
    assert handshake(port, "www.contoso.com", client_context(high=ssl.TLSVersion.TLSv1_2))[0] == "TLSv1.2"
    with pytest.raises(ssl.SSLError, match="PROTOCOL_VERSION"):
        handshake(port, "www.contoso.com", client_context(ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1))


def test_a_host_allowing_tls10_really_negotiates_it(port):
    old = client_context(ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1)
    assert handshake(port, "legacy.contoso.com", old)[0] == "TLSv1"
    assert handshake(port, "legacy.contoso.com")[0] == "TLSv1.3"


def test_per_host_limits_hold_on_the_shared_port(port):
    with pytest.raises(ssl.SSLError):
        handshake(port, "modern.contoso.com", client_context(high=ssl.TLSVersion.TLSv1_2))
    assert handshake(port, "modern.contoso.com")[0] == "TLSv1.3"
    assert handshake(port, "capped.contoso.com", client_context(ssl.TLSVersion.TLSv1))[0] == "TLSv1.1"
    with pytest.raises(ssl.SSLError):
        handshake(port, "capped.contoso.com", client_context(ssl.TLSVersion.TLSv1_2))


def test_an_https_request_after_the_handshake_is_answered(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
            client_context().wrap_socket(raw, server_hostname="www.contoso.com") as tls:
        tls.sendall(b"GET / HTTP/1.1\r\nHost: www.contoso.com\r\n\r\n")
        assert tls.recv(4096).startswith(b"HTTP/1.1 200 OK")


def test_concurrent_handshakes_beyond_the_pool_all_complete(port):
    with ThreadPoolExecutor(48) as pool:
        results = list(pool.map(lambda _: handshake(port, "www.contoso.com")[0], range(96)))
    assert results == ["TLSv1.3"] * 96


def test_handshakes_are_logged_with_their_outcome(tls_dir):
    log = RequestLog()
    server = TlsServer(tls_dir, FaultPlan([]), log)
    port = server.start()
    try:
        handshake(port, "WWW.contoso.com")
        with pytest.raises(ssl.SSLError):
            handshake(port, "modern.contoso.com", client_context(high=ssl.TLSVersion.TLSv1_2))
        handshake(port, None)
    finally:
        server.stop()
    # Each connection is served on a thread of its own, which logs when it is done with it:
    # the outcomes are the point, not which thread logged first.
    entries = sorted((e.key, e.status.split(":")[0]) for e in log.entries("tls"))
    assert entries == sorted([("www.contoso.com", "handshake"), ("modern.contoso.com", "handshake-failed"),
                              ("", "handshake")])


def test_without_a_default_unknown_names_get_unrecognized_name(tmp_path, ca):
    write_estate(tmp_path / "tls", ca, with_default=False)
    log = RequestLog()
    server = TlsServer(tmp_path / "tls", FaultPlan([]), log)
    port = server.start()
    try:
        with pytest.raises(ssl.SSLError, match="UNRECOGNIZED_NAME"):
            handshake(port, "unknown.example.org")
        with pytest.raises(ssl.SSLError, match="HANDSHAKE_FAILURE"):
            handshake(port, None)
        assert handshake(port, "www.contoso.com")[0] == "TLSv1.3"
    finally:
        server.stop()
    assert [e.status for e in log.entries("tls")] == ["unrecognized-name", "no-certificate", "handshake"]


@pytest.mark.parametrize("files, complaint", [
    ({"bad.contoso.com.pem": "not a pem"}, "bad.contoso.com.pem"),
    ({"x.contoso.com.json": "{"}, "not valid JSON"),
    ({"x.contoso.com.json": '{"min_version": "SSLv3"}'}, "min_version"),
    ({"x.contoso.com.json": '{"fail": "explode"}'}, "fail must be"),
    ({"x.contoso.com.json": '{"min_version": "TLSv1.3", "max_version": "TLSv1.2"}'}, "above"),
    ({"x.contoso.com.json": '{"ocsp_response": "not base64!"}'}, "ocsp_response"),
])
def test_a_broken_tls_file_is_one_estate_error(tmp_path, files, complaint):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(EstateError, match=complaint):
        TlsServer(tmp_path, FaultPlan([]), RequestLog())


def test_a_key_that_does_not_match_the_leaf_is_refused(tmp_path, ca):
    one, other = ca.issue_cert("a.contoso.com"), ca.issue_cert("b.contoso.com")
    (tmp_path / "a.contoso.com.pem").write_bytes(other.private_key_pem.bytes() + one.cert_chain_pems[0].bytes())
    with pytest.raises(EstateError, match="a.contoso.com.pem"):
        TlsServer(tmp_path, FaultPlan([]), RequestLog())


def test_the_tls_folder_is_listed_once_however_many_hosts(tmp_path, ca, monkeypatch):
    # start-up must stay linear in the estate: one listing, then look-ups (a listing per
    # host made a large estate's start-up take minutes)
    write_estate(tmp_path, ca)
    for n in range(40):
        (tmp_path / f"extra{n}.contoso.com.json").write_text('{"min_version": "TLSv1.2"}')
    listings = []
    real_iterdir = Path.iterdir

    def counting(self):
        listings.append(self)
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", counting)
    hosts = load_tls_hosts(tmp_path)
    assert len(hosts) > 40
    assert hosts["shop.contoso.com"].pem is not None      # still matched case-insensitively
    assert listings == [tmp_path]


def test_a_host_with_an_ocsp_response_staples_it_only_when_asked(tmp_path, ca):
    # nginx ssl_stapling / OpenSSL's status callback: the response goes out only to a ClientHello
    # carrying status_request (RFC 6066 section 8), https://nginx.org/en/docs/http/ngx_http_ssl_module.html
    from auditor.collect.tls_handshake import handshake as probe
    from auditor.model.tls import TlsStatus

    leaf = ca.issue_cert("stapled.contoso.com")
    (tmp_path / "stapled.contoso.com.pem").write_bytes(leaf.private_key_and_cert_chain_pem.bytes())
    staple = b"0\x03\n\x01\x00"   # any DER the estate holds is stapled as is; judging it is the audit's job
    (tmp_path / "stapled.contoso.com.json").write_text(json.dumps(
        {"ocsp_response": base64.b64encode(staple).decode(), "min_version": "TLSv1.2"}))
    server = TlsServer(tmp_path, FaultPlan([]), RequestLog())
    port = server.start()
    try:
        asked = probe(("127.0.0.1", port), "stapled.contoso.com", 3.0, ocsp=True)
        not_asked = probe(("127.0.0.1", port), "stapled.contoso.com", 3.0)
        legacy = handshake(port, "stapled.contoso.com")     # a plain client still gets the site
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
                client_context().wrap_socket(raw, server_hostname="stapled.contoso.com") as tls:
            tls.sendall(b"GET / HTTP/1.1\r\nHost: stapled.contoso.com\r\n\r\n")
            answer = tls.recv(4096)
    finally:
        server.stop()
    assert (asked.status, asked.ocsp_response) == (TlsStatus.OK, staple)
    assert not_asked.status is TlsStatus.OK and not_asked.ocsp_response is None
    assert legacy[0] in ("TLSv1.2", "TLSv1.3")
    assert answer.startswith(b"HTTP/1.1 200 OK")
