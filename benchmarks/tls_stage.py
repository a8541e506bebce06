"""tls-stage: the live TLS stage alone on N bound names served by the emulator (its own
process): connections per name, the stage's wall time, and the time of one handshake;
then the same endpoints through blackbox exporter and sslyze where they are installed
(a peer that is not installed is reported as skipped, never as a failure).

Peers are found on PATH: `blackbox_exporter` or `prometheus-blackbox-exporter` (the
Debian package), and `sslyze` (PyPI). Every one of them dials the emulator's TLS port
with each name as SNI, so the emulator's log counts their connections as it counts ours.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from auditor.collect.context import CollectContext, Network
from auditor.collect.tls import observe_tls
from auditor.collect.tls_handshake import handshake
from auditor.config import default_config
from auditor.emulator import EmulatorEndpoints
from auditor.estate.builder import (
    AppServiceCertificate,
    Endpoint,
    EstateSpec,
    HostName,
    Site,
    Vault,
    VaultCertificate,
    Zone,
    build_estate,
)
from auditor.model.tls import TlsStatus
from benchmarks.emulator_host import EmulatorProcess, ServedLog
from benchmarks.results import Check, ScenarioResult

NAME = "tls-stage"
FULL_NAMES = 200
SAMPLE = 20                  # sequential handshakes timed for "time per handshake"
SSLYZE_SAMPLE = 20           # sslyze is slow: a sample of names, scaled per name
MAX_CONNECTIONS_PER_NAME = 4.0   # SNI + TLS 1.0 + TLS 1.1 + the shared no-SNI handshake, at most
PEER_TIMEOUT = 600.0


def run(scale: float, workdir: Path) -> ScenarioResult:
    names = [f"site{i:04d}.tlsbench.example" for i in range(max(4, round(FULL_NAMES * scale)))]
    estate = build_estate(_spec(names), workdir / NAME)
    data: dict[str, Any] = {"names": len(names)}
    checks: list[Check] = []
    emulator = EmulatorProcess(estate, {})
    with emulator as endpoints:
        ours = _auditor(names, endpoints)
        connections = _connections(emulator.served()) - ours["timed_handshakes"]   # less the timed sample
    per_name = connections / len(names)
    data["auditor"] = {**ours, "connections": connections, "connections_per_name": round(per_name, 3)}
    checks.append(Check("connections per name", per_name < MAX_CONNECTIONS_PER_NAME,
                        f"{per_name:.2f} (at most {MAX_CONNECTIONS_PER_NAME:g})"))
    checks.append(Check("every name observed", ours["ok"] == len(names), f"{ours['ok']}/{len(names)} ok"))
    for peer, measure in (("blackbox", _blackbox), ("sslyze", _sslyze)):
        if not _installed(peer):
            data[peer] = "not installed"
            continue
        emulator = EmulatorProcess(estate, {})
        with emulator as endpoints:
            result = measure(names, endpoints, workdir)
            result["connections"] = _connections(emulator.served())
            result["connections_per_name"] = round(result["connections"] / result["names"], 3)
            result["ms_per_connection"] = round(result["seconds"] / max(1, result["connections"]) * 1000, 2)
        data[peer] = result
    summary = (f"{len(names)} names: auditor {ours['seconds']:.2f} s, {per_name:.2f} connections/name, "
               f"{ours['handshake_ms']:.1f} ms/handshake; " + "; ".join(
                   f"{peer} " + (f"{r['seconds']:.2f} s for {r['names']} names, "
                                 f"{r['connections_per_name']:.2f} connections/name, "
                                 f"{r['ms_per_connection']:.1f} ms/connection"
                                 if isinstance(r, dict) else str(r))
                   for peer, r in ((p, data[p]) for p in ("blackbox", "sslyze"))))
    return ScenarioResult(NAME, scale, summary, data=data, checks=tuple(checks))


def _spec(names: list[str]) -> EstateSpec:
    """Every name bound on one site with its own certificate; one in ten serves only TLS 1.1."""
    certs = tuple(VaultCertificate(f"c{i}", (n,), not_after="+200d") for i, n in enumerate(names))
    return EstateSpec(
        vaults=(Vault("kv-tlsbench", certificates=certs),),
        app_service_certificates=tuple(AppServiceCertificate(f"c{i}", key_vault=f"kv-tlsbench/c{i}")
                                       for i in range(len(names))),
        sites=(Site("tlsbench", host_names=tuple(HostName(n, certificate=f"c{i}") for i, n in enumerate(names))),),
        zones=(Zone("tlsbench.example"),),
        endpoints=tuple(Endpoint(n, max_version="TLSv1.1") for n in names[::10]),
    )


def _connections(log: ServedLog) -> int:
    """TLS connections the emulator saw, whatever became of them."""
    return len(log.entries("tls"))


def _auditor(names: list[str], endpoints: EmulatorEndpoints) -> dict[str, Any]:
    config = default_config()
    network = Network(tls_host="127.0.0.1", tls_port=endpoints.tls_port, tls_trust_files=endpoints.tls_trust_files)
    context = CollectContext(config=config, cloud=config.cloud, network=network, as_of=endpoints.as_of)
    started = time.monotonic()
    observations, _ = asyncio.run(observe_tls(names, context, endpoints.as_of))
    seconds = time.monotonic() - started
    ok = sum(1 for o in observations if o.sni and o.chain)
    # one SNI handshake at a time, so its time is not the stage's concurrency
    sample = names[:SAMPLE]
    started = time.monotonic()
    for name in sample:
        handshake(("127.0.0.1", endpoints.tls_port), name, config.collect.tls_timeout_seconds)
    per_handshake = (time.monotonic() - started) / len(sample)
    return {"seconds": round(seconds, 3), "ok": ok, "handshake_ms": round(per_handshake * 1000, 2),
            "timed_handshakes": len(sample),
            "concurrency": config.collect.tls_concurrency,
            "legacy_only_with_chain": sum(1 for o in observations
                                          if o.sni and o.status is TlsStatus.HANDSHAKE_FAILED and o.chain)}


def _installed(peer: str) -> str | None:
    if peer == "blackbox":
        return shutil.which("blackbox_exporter") or shutil.which("prometheus-blackbox-exporter")
    return shutil.which("sslyze")


def _blackbox(names: list[str], endpoints: EmulatorEndpoints, workdir: Path) -> dict[str, Any]:
    binary = _installed("blackbox")
    assert binary is not None
    # one tcp+TLS module per name: blackbox sets SNI from the module's tls_config.server_name
    config = workdir / "blackbox.yml"
    modules = {f"m{i}": {"prober": "tcp", "timeout": "5s",
                         "tcp": {"tls": True, "tls_config": {"server_name": n, "insecure_skip_verify": True}}}
               for i, n in enumerate(names)}
    config.write_text(json.dumps({"modules": modules}), encoding="utf-8")   # JSON is YAML
    port = _free_port()
    process = subprocess.Popen([binary, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port)
        started = time.monotonic()
        for i in range(len(names)):
            url = f"http://127.0.0.1:{port}/probe?module=m{i}&target=127.0.0.1:{endpoints.tls_port}"
            with urllib.request.urlopen(url, timeout=30) as answer:   # noqa: S310 - our own loopback
                answer.read()
        seconds = time.monotonic() - started
    finally:
        process.terminate()
        process.wait(30)
    return {"seconds": round(seconds, 3), "names": len(names), "sequential": True}


def _sslyze(names: list[str], endpoints: EmulatorEndpoints, workdir: Path) -> dict[str, Any]:
    binary = _installed("sslyze")
    assert binary is not None
    sample = names[:SSLYZE_SAMPLE]
    targets = [f"{n}:{endpoints.tls_port}{{127.0.0.1}}" for n in sample]
    out = Path(tempfile.mkstemp(dir=workdir, suffix=".json")[1])
    started = time.monotonic()
    subprocess.run([binary, f"--json_out={out}", "--certinfo", "--tlsv1", "--tlsv1_1", "--tlsv1_2",
                    "--tlsv1_3", *targets], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=PEER_TIMEOUT, check=False)
    seconds = time.monotonic() - started
    return {"seconds": round(seconds, 3), "names": len(sample),
            "scan": "certinfo, tlsv1, tlsv1_1, tlsv1_2, tlsv1_3"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"blackbox exporter did not listen on {port}")

