"""The emulator's TLS port serves what nginx serves from the same tls/ directory.

For every SNI (and none) and every client protocol range, both must agree on
the negotiated protocol and the exact chain, or both must fail the handshake.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from realservers import probe_tls, start_nginx

from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.emulator.tls_server import TlsServer

pytestmark = pytest.mark.integration

HOSTS = {
    "www.contoso.com": None,
    "legacy.contoso.com": {"min_version": "TLSv1", "max_version": "TLSv1.3"},
    "old-only.contoso.com": {"min_version": "TLSv1", "max_version": "TLSv1.1"},
    "tls12.contoso.com": {"min_version": "TLSv1.2", "max_version": "TLSv1.2"},
    "modern.contoso.com": {"min_version": "TLSv1.3"},
}
CLIENT_RANGES = [("TLSv1", "TLSv1"), ("TLSv1.1", "TLSv1.1"), ("TLSv1.2", "TLSv1.2"),
                 ("TLSv1.3", "TLSv1.3"), ("TLSv1", "TLSv1.3")]
NAMES = [*HOSTS, "rsa.contoso.com", "incomplete.contoso.com", "WWW.CONTOSO.COM", "unknown.example.org", None]


def write_tls(folder: Path, with_default: bool) -> Path:
    folder.mkdir(parents=True)
    root = trustme.CA()
    intermediate = root.create_child_ca()
    for host, settings in HOSTS.items():
        leaf = intermediate.issue_cert(host)
        (folder / f"{host}.pem").write_bytes(leaf.private_key_and_cert_chain_pem.bytes())
        if settings:
            (folder / f"{host}.json").write_text(json.dumps(settings))
    rsa = trustme.CA(key_type=trustme.KeyType.RSA).create_child_ca(key_type=trustme.KeyType.RSA)
    leaf = rsa.issue_cert("rsa.contoso.com", key_type=trustme.KeyType.RSA)
    (folder / "rsa.contoso.com.pem").write_bytes(leaf.private_key_and_cert_chain_pem.bytes())
    lonely = intermediate.issue_cert("incomplete.contoso.com")
    (folder / "incomplete.contoso.com.pem").write_bytes(
        lonely.cert_chain_pems[0].bytes() + lonely.private_key_pem.bytes())   # key after the leaf
    if with_default:
        default = root.issue_cert("default.contoso.invalid")
        (folder / "_default.pem").write_bytes(default.private_key_and_cert_chain_pem.bytes())
    return folder


@pytest.fixture(scope="module", params=[True, False], ids=["with-default", "without-default"])
def servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    home = tmp_path_factory.mktemp("tls-parity")
    tls_dir = write_tls(home / "tls", with_default=request.param)
    emulator = TlsServer(tls_dir, FaultPlan([]), RequestLog())
    ours = emulator.start()
    try:
        with start_nginx(tls_dir, home) as theirs:
            yield ours, theirs
    finally:
        emulator.stop()


def test_protocol_and_chain_match_nginx_for_every_name_and_client(servers: tuple[int, int]) -> None:
    ours, theirs = servers
    differences = []
    for name in NAMES:
        for low, high in CLIENT_RANGES:
            a, b = probe_tls(ours, name, low, high), probe_tls(theirs, name, low, high)
            if (a.version, a.chain_sha256, a.ok) != (b.version, b.chain_sha256, b.ok):
                differences.append(f"{name} {low}-{high}: emulator {a} / nginx {b}")
    assert not differences, "\n".join(differences)


def test_the_comparison_sees_both_outcomes(servers: tuple[int, int]) -> None:
    """Guards the test itself: some probes succeed at each version and some fail."""
    ours, _ = servers
    outcomes = {probe_tls(ours, name, low, high).version for name in NAMES for low, high in CLIENT_RANGES}
    assert outcomes == {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", None}
