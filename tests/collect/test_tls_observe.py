"""observe_tls against real TLS servers on loopback: the estate emulator's, and nginx.

One suite, parametrised over the backends, both serving the same tls/<host>.pem files
generated here. Fail modes nginx cannot be told to do per host (refused, reset,
timeout) are tested on the emulator only.
"""

from __future__ import annotations

import importlib
import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from test_tls_pki import (  # sibling helper: pytest puts this folder on sys.path
    EXPIRED,
    NOW,
    make_intermediate,
    make_leaf,
    make_root,
    make_self_signed_leaf,
    served_pem,
    write_pem,
)

from auditor.collect.context import CollectContext, Network
from auditor.collect.tls import observe_tls
from auditor.collect.tls_handshake import handshake
from auditor.config import CollectConfig, default_config
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.emulator.tls_server import TlsServer
from auditor.estate.load import Fault
from auditor.model.common import GapReason, Source
from auditor.model.tls import TlsObservation, TlsStatus, TlsVerdict
from auditor.normalise.x509 import facts


@dataclass(frozen=True)
class Estate:
    tls_dir: Path
    trust: Path
    expired_leaf_thumbprint: str


@dataclass(frozen=True)
class Backend:
    kind: str
    port: int
    estate: Estate
    log: RequestLog | None


def write_tls_estate(root_dir: Path, fail_modes: bool) -> Estate:
    tls = root_dir / "tls"
    tls.mkdir(parents=True)
    root = make_root("Estate Test Root")
    inter = make_intermediate(root, "Estate Issuing CA")
    trust = write_pem(root_dir / "trust.pem", root.cert)

    def serve(host: str, pem: bytes, settings: dict[str, str] | None = None) -> None:
        (tls / f"{host}.pem").write_bytes(pem)
        if settings:
            (tls / f"{host}.json").write_text(json.dumps(settings), encoding="utf-8")

    good = make_leaf(inter, ["good.example.test", "www.good.example.test"])
    serve("good.example.test", served_pem(good, inter.cert))
    expired = make_leaf(inter, ["expired.example.test"], EXPIRED)
    serve("expired.example.test", served_pem(expired, inter.cert))
    serve("incomplete.example.test", served_pem(make_leaf(inter, ["incomplete.example.test"])))
    serve("wrongname.example.test", served_pem(make_leaf(inter, ["someone-else.example.test"]), inter.cert))
    serve("selfsigned.example.test", served_pem(make_self_signed_leaf(["selfsigned.example.test"])))
    serve("legacy.example.test", served_pem(make_leaf(inter, ["legacy.example.test"]), inter.cert),
          {"min_version": "TLSv1"})
    serve("_default", served_pem(make_leaf(inter, ["default.example.test"]), inter.cert))
    if fail_modes:
        for mode in ("refused", "reset", "timeout"):
            serve(f"{mode}.example.test", served_pem(make_leaf(inter, [f"{mode}.example.test"]), inter.cert),
                  {"fail": mode})
    return Estate(tls, trust, facts(expired.cert).thumbprint)


def start_emulator(estate: Estate) -> tuple[TlsServer, RequestLog]:
    log = RequestLog()
    server = TlsServer(estate.tls_dir, FaultPlan([]), log)
    server.start()
    return server, log


def realservers():  # type: ignore[no-untyped-def]
    """The shared helpers that run Knot, NSD and nginx (tests/realservers)."""
    tests_dir = str(Path(__file__).resolve().parents[1])
    if tests_dir not in sys.path:
        sys.path.append(tests_dir)
    return importlib.import_module("realservers")


@pytest.fixture(scope="module", params=["emulator", pytest.param("nginx", marks=pytest.mark.integration)])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    folder = tmp_path_factory.mktemp(f"tls-{request.param}")
    estate = write_tls_estate(folder, fail_modes=False)
    if request.param == "emulator":
        server, log = start_emulator(estate)
        try:
            yield Backend("emulator", server.port, estate, log)
        finally:
            server.stop()
        return
    with realservers().start_nginx(estate.tls_dir, folder) as port:
        yield Backend("nginx", port, estate, None)


def context_for(backend: Backend, timeout: float = 3.0) -> CollectContext:
    config = default_config()
    config = replace(config, collect=CollectConfig(tls_timeout_seconds=timeout, tls_concurrency=4))
    network = Network(tls_host="127.0.0.1", tls_port=backend.port, tls_trust_files=(backend.estate.trust,))
    return CollectContext(config=config, cloud=config.cloud, network=network, as_of=NOW)


async def observe(backend: Backend, host: str, timeout: float = 3.0
                  ) -> tuple[TlsObservation, TlsObservation, list]:  # type: ignore[type-arg]
    observations, gaps = await observe_tls([host], context_for(backend, timeout), NOW)
    with_sni = [o for o in observations if o.sni]
    without_sni = [o for o in observations if not o.sni]
    assert len(with_sni) == len(without_sni) == 1
    return with_sni[0], without_sni[0], gaps


# -- the shared suite: the same verdicts from the emulator and from nginx -------------------------

async def test_valid_endpoint(backend: Backend) -> None:
    obs, _, gaps = await observe(backend, "good.example.test")
    assert obs.status is TlsStatus.OK
    assert obs.verdict is TlsVerdict.VALID
    assert obs.problems == ()
    assert obs.negotiated_version in ("TLSv1.2", "TLSv1.3")
    assert [c.subject for c in obs.chain] == ["CN=good.example.test", "CN=Estate Issuing CA"]
    assert obs.accepts_tls10 is False
    assert obs.accepts_tls11 is False
    assert gaps == []


async def test_expired_site_still_reports_its_whole_chain(backend: Backend) -> None:
    obs, _, gaps = await observe(backend, "expired.example.test")
    assert obs.status is TlsStatus.OK
    assert obs.verdict is TlsVerdict.EXPIRED
    assert len(obs.chain) == 2
    assert obs.leaf is not None
    assert obs.leaf.thumbprint == backend.estate.expired_leaf_thumbprint
    assert obs.leaf.not_after < NOW
    assert gaps == []


async def test_incomplete_chain(backend: Backend) -> None:
    obs, _, _ = await observe(backend, "incomplete.example.test")
    assert obs.verdict is TlsVerdict.INCOMPLETE_CHAIN
    assert len(obs.chain) == 1
    assert "Estate Issuing CA" in obs.detail


async def test_wrong_name(backend: Backend) -> None:
    obs, _, _ = await observe(backend, "wrongname.example.test")
    assert obs.verdict is TlsVerdict.NAME_MISMATCH
    assert obs.leaf is not None and obs.leaf.names == ("someone-else.example.test",)


async def test_self_signed_is_untrusted(backend: Backend) -> None:
    obs, _, _ = await observe(backend, "selfsigned.example.test")
    assert obs.verdict is TlsVerdict.UNTRUSTED


async def test_tls10_accepted_where_configured(backend: Backend) -> None:
    obs, _, _ = await observe(backend, "legacy.example.test")
    assert obs.verdict is TlsVerdict.VALID
    assert obs.accepts_tls10 is True
    assert obs.accepts_tls11 is True


async def test_without_sni_the_default_certificate_answers(backend: Backend) -> None:
    with_sni, without_sni, _ = await observe(backend, "good.example.test")
    assert with_sni.leaf is not None and with_sni.leaf.names[0] == "good.example.test"
    assert without_sni.status is TlsStatus.OK
    assert without_sni.leaf is not None and without_sni.leaf.names == ("default.example.test",)
    assert without_sni.verdict is TlsVerdict.NAME_MISMATCH
    assert without_sni.accepts_tls10 is None   # the legacy probes run with SNI only


async def test_many_hosts_two_observations_each(backend: Backend) -> None:
    hosts = ["good.example.test", "GOOD.example.test.", "expired.example.test", "*.example.test",
             "wrongname.example.test", "incomplete.example.test"]
    observations, gaps = await observe_tls(hosts, context_for(backend), NOW)
    assert [(o.hostname, o.sni) for o in observations] == [
        (h, sni) for h in ("good.example.test", "expired.example.test", "wrongname.example.test",
                           "incomplete.example.test") for sni in (True, False)]
    assert gaps == []


# -- fail modes only the emulator can play per host ------------------------------------------------

@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    estate = write_tls_estate(tmp_path_factory.mktemp("tls-fail"), fail_modes=True)
    server, log = start_emulator(estate)
    try:
        yield Backend("emulator", server.port, estate, log)
    finally:
        server.stop()


async def test_refused(failing: Backend) -> None:
    obs, without_sni, gaps = await observe(failing, "refused.example.test")
    assert obs.status is TlsStatus.REFUSED
    assert obs.chain == ()
    assert obs.verdict is TlsVerdict.NOT_CHECKED
    assert obs.accepts_tls10 is None
    assert without_sni.status is TlsStatus.OK       # the default certificate still answers
    assert gaps == []                              # a refusal is an answer, not a blind spot


async def test_reset_mid_handshake(failing: Backend) -> None:
    obs, _, gaps = await observe(failing, "reset.example.test")
    # The emulator resets right behind its first flight; when the reset overtakes that
    # flight the client has nothing to tell it from a refusal. Either way: no chain, no gap.
    assert obs.status in (TlsStatus.RESET, TlsStatus.REFUSED)
    assert obs.chain == ()
    assert gaps == []


def _one_shot_server(answer_first: bytes) -> tuple[socket.socket, threading.Thread]:
    """Accepts one connection, reads the hello, sends `answer_first`, then resets."""
    listener = socket.create_server(("127.0.0.1", 0))

    def run() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(16384)
            if answer_first:
                conn.sendall(answer_first)
                time.sleep(0.1)   # let the client read it before the reset overtakes it
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return listener, thread


@pytest.mark.parametrize(("answer_first", "status"), [
    (b"", TlsStatus.REFUSED),
    (b"\x16\x03\x03\x00\x40", TlsStatus.RESET),   # the start of a handshake record, then a reset
])
def test_reset_before_and_after_the_server_answers(answer_first: bytes, status: TlsStatus) -> None:
    listener, thread = _one_shot_server(answer_first)
    try:
        shake = handshake(listener.getsockname()[:2], "host.example.test", 3.0)
    finally:
        thread.join(timeout=5)
        listener.close()
    assert shake.status is status
    assert shake.chain == ()


async def test_timeout_is_a_gap(failing: Backend) -> None:
    obs, _, gaps = await observe(failing, "timeout.example.test", timeout=0.3)
    assert obs.status is TlsStatus.TIMEOUT
    assert [(g.source, g.target, g.reason) for g in gaps] == [
        (Source.TLS, "timeout.example.test", GapReason.TIMEOUT)]


async def test_nothing_listening_is_refused(tmp_path: Path) -> None:
    estate = write_tls_estate(tmp_path, fail_modes=False)
    server, _ = start_emulator(estate)
    port = server.port
    server.stop()
    obs, _, gaps = await observe(Backend("emulator", port, estate, None), "good.example.test")
    assert obs.status is TlsStatus.REFUSED
    assert gaps == []


async def test_every_connection_goes_to_the_emulator_whatever_the_name(failing: Backend) -> None:
    # Not a name any DNS knows: in estate mode it must still be dialled at the emulator, by SNI.
    assert failing.log is not None
    failing.log.clear()
    obs, _, _ = await observe(failing, "not-in-any-dns.invalid")
    assert obs.status is TlsStatus.OK
    assert obs.verdict is TlsVerdict.NAME_MISMATCH   # the emulator's default certificate
    assert "not-in-any-dns.invalid" in {e.key for e in failing.log.entries("tls")}


async def test_one_handshake_without_sni_is_shared_by_every_name(failing: Backend) -> None:
    # every name behind one address and port gets the same default certificate: ask once
    assert failing.log is not None
    failing.log.clear()
    hosts = ["good.example.test", "expired.example.test", "wrongname.example.test", "legacy.example.test"]
    observations, _ = await observe_tls(hosts, context_for(failing), NOW)
    without_sni = [o for o in observations if not o.sni]
    assert [o.hostname for o in without_sni] == hosts
    assert {o.leaf.subject for o in without_sni if o.leaf} == {"CN=default.example.test"}
    assert len([e for e in failing.log.entries("tls") if e.key == ""]) == 1
    sni = [e for e in failing.log.entries("tls") if e.key]
    assert len(sni) == 3 * len(hosts)       # the SNI handshake and the TLS 1.0 and 1.1 probes


async def test_a_timeout_is_tried_once_more_and_is_no_gap_when_the_retry_answers(tmp_path: Path) -> None:
    estate = write_tls_estate(tmp_path, fail_modes=False)
    log = RequestLog()
    server = TlsServer(estate.tls_dir, FaultPlan([Fault("tls", "good.example.test", "timeout", times=1)]), log)
    server.start()
    try:
        obs, _, gaps = await observe(Backend("emulator", server.port, estate, log), "good.example.test",
                                     timeout=0.3)
    finally:
        server.stop()
    assert obs.status is TlsStatus.OK
    assert obs.verdict is TlsVerdict.VALID
    assert gaps == []
    assert [e.status for e in log.entries("tls") if e.key == "good.example.test"][:2] == [
        "fault:timeout", "handshake"]


async def test_a_timeout_that_persists_is_a_gap_after_one_retry(failing: Backend) -> None:
    assert failing.log is not None
    failing.log.clear()
    _, _, gaps = await observe(failing, "timeout.example.test", timeout=0.3)
    assert [g.reason for g in gaps] == [GapReason.TIMEOUT]
    assert len([e for e in failing.log.entries("tls") if e.key == "timeout.example.test"]) == 2


async def test_the_stapled_response_is_asked_for_on_the_main_handshake(tmp_path: Path) -> None:
    # no OCSP staple configured: asked, none stapled (False); the no-SNI observation was not asked (None)
    estate = write_tls_estate(tmp_path, fail_modes=False)
    server, log = start_emulator(estate)
    try:
        obs, without_sni, _ = await observe(Backend("emulator", server.port, estate, log), "good.example.test")
    finally:
        server.stop()
    assert obs.ocsp_stapled is False
    assert without_sni.ocsp_stapled is None



def test_real_mode_dials_the_first_address_and_an_unknown_name_is_not_resolved(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the no-SNI handshake is shared per (address, port), so real mode resolves each name first;
    # the resolver is replaced here so that no test asks a real DNS server
    import auditor.collect.tls as tls_module

    answers = {"two.example.test": [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2001:db8::1", 443, 0, 0)),
                                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.1", 443))]}

    def fake_getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return answers[host]

    monkeypatch.setattr(tls_module.socket, "getaddrinfo", fake_getaddrinfo)
    assert tls_module._resolve("two.example.test") == ("2001:db8::1", 443)
    missing = tls_module._resolve("no-such-host.example.test")
    assert not isinstance(missing, tuple) and missing.status is TlsStatus.NOT_RESOLVED
    assert "does not resolve" in missing.detail
