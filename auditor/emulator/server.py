"""The estate emulator: HTTPS (ARM, Resource Graph, Key Vault, token, Graph), DNS and TLS,
all on 127.0.0.1, serving one estate directory through Azure's real wire formats."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType

from auditor.cloud import AZURE_PUBLIC, CloudEndpoints
from auditor.collect.context import Network
from auditor.emulator.ca import ThrowawayCA
from auditor.emulator.dns_server import DnsServer
from auditor.emulator.faults import FaultPlan
from auditor.emulator.http.app import HttpsServer
from auditor.emulator.http.auth import TokenStore
from auditor.emulator.http.state import HttpState
from auditor.emulator.http.token import ClientCredentials
from auditor.emulator.requestlog import RequestLog
from auditor.emulator.tls_server import TlsServer
from auditor.estate.load import Estate, load_estate

LATENCY_KEYS = frozenset({"arm", "arg", "keyvault", "dns", "tls", "logs"})


@dataclass(frozen=True)
class EmulatorEndpoints:
    https_port: int
    dns_port: int
    tls_port: int
    ca_file: Path                       # PEM of the throwaway CA that signed the HTTPS certificate
    tenant_id: str
    subscriptions: tuple[str, ...]
    as_of: datetime
    client_id: str
    client_secret: str = field(repr=False)
    tls_trust_files: tuple[Path, ...] = ()   # the estate's tls/_trust roots

    def network(self) -> Network:
        """Where the audit's connections go to reach this emulator."""
        return Network(
            https_host="127.0.0.1", https_port=self.https_port, ca_file=self.ca_file,
            dns_nameservers=("127.0.0.1",), dns_port=self.dns_port,
            tls_host="127.0.0.1", tls_port=self.tls_port, tls_trust_files=self.tls_trust_files,
            client_id=self.client_id, client_secret=self.client_secret,
        )


class Emulator:
    """Serves `estate_dir` on loopback; use as a context manager or start()/stop()."""

    def __init__(self, estate_dir: Path, *, cloud: CloudEndpoints = AZURE_PUBLIC,
                 latency: dict[str, float] | None = None, workdir: Path | None = None,
                 arm_page_size: int = 100) -> None:
        unknown = set(latency or {}) - LATENCY_KEYS
        if unknown:
            raise ValueError(f"unknown latency keys {sorted(unknown)}; use {sorted(LATENCY_KEYS)}")
        self.estate_dir = Path(estate_dir)
        self.cloud = cloud
        self.latency = dict(latency or {})
        self.log = RequestLog()
        self.endpoints: EmulatorEndpoints | None = None
        self.estate: Estate | None = None
        self._workdir = workdir
        self._owned_dir: Path | None = None
        self._arm_page_size = arm_page_size
        self._https: HttpsServer | None = None
        self._dns: DnsServer | None = None
        self._tls: TlsServer | None = None
        self.faults: FaultPlan | None = None   # the running plan; FaultPlan.replace swaps it

    def start(self) -> EmulatorEndpoints:
        if self.endpoints is not None:
            return self.endpoints
        estate = load_estate(self.estate_dir)
        try:
            self.endpoints = self._start(estate)
        except BaseException:
            self.stop()
            raise
        self.estate = estate
        return self.endpoints

    def _start(self, estate: Estate) -> EmulatorEndpoints:
        folder = self._folder()
        ca = ThrowawayCA()
        ca_file = ca.write_ca(folder / "emulator-ca.pem")
        issued = ca.issue_pem(self._https_names())
        faults = self.faults = FaultPlan(estate.faults)
        client = ClientCredentials(client_id=str(uuid.uuid4()), client_secret=secrets.token_urlsafe(24))
        state = HttpState(estate=estate, cloud=self.cloud, faults=faults, log=self.log, tokens=TokenStore(),
                          latency=self.latency, arm_page_size=self._arm_page_size)
        self._https = HttpsServer(state, client, issued.chain, issued.key)
        https_port = self._https.start()
        self._dns = DnsServer(estate.zone_files, faults, self.log, latency=self.latency.get("dns", 0.0),
                              axfr_zones=estate.axfr_zones)
        dns_port = self._dns.start()
        self._tls = TlsServer(estate.tls_dir, faults, self.log, latency=self.latency.get("tls", 0.0))
        tls_port = self._tls.start()
        trust_dir = estate.tls_dir / "_trust" if estate.tls_dir is not None else None
        trust = tuple(sorted(trust_dir.glob("*.pem"))) if trust_dir is not None and trust_dir.is_dir() else ()
        return EmulatorEndpoints(
            https_port=https_port, dns_port=dns_port, tls_port=tls_port, ca_file=ca_file,
            tenant_id=estate.tenant_id, subscriptions=tuple(estate.subscription_ids), as_of=estate.as_of,
            client_id=client.client_id, client_secret=client.client_secret, tls_trust_files=trust,
        )

    def _https_names(self) -> list[str]:
        hosts = [self.cloud.arm, self.cloud.login, self.cloud.graph, self.cloud.log_analytics]
        names = [h.split("://", 1)[-1].split("/", 1)[0] for h in hosts]
        return names + [f"*.{self.cloud.keyvault_suffix}", "localhost", "127.0.0.1"]

    def _folder(self) -> Path:
        if self._workdir is not None:
            self._workdir.mkdir(parents=True, exist_ok=True)
            return self._workdir
        self._owned_dir = Path(tempfile.mkdtemp(prefix="auditor-emulator-"))
        return self._owned_dir

    def stop(self) -> None:
        for server in (self._tls, self._dns, self._https):
            if server is not None:
                server.stop()
        self._https = self._dns = self._tls = None
        self.endpoints = None
        if self._owned_dir is not None:
            shutil.rmtree(self._owned_dir, ignore_errors=True)
            self._owned_dir = None

    def __enter__(self) -> EmulatorEndpoints:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
