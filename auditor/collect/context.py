"""What every collector is given: configuration, the cloud, where connections go, the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from auditor.cloud import CloudEndpoints
from auditor.collect.arm_pacing import ReadBuckets
from auditor.config import Config


@dataclass(frozen=True)
class Network:
    """Where connections go.

    Real mode leaves every field empty: the system's resolver, trust store and the
    real endpoints. Estate mode sends every HTTPS connection (ARM, Resource Graph,
    Key Vault, token, Graph) to the emulator's HTTPS port while the URLs keep Azure's
    host names, asks the emulator's DNS server, and dials every TLS probe at the
    emulator's TLS port with the real SNI: no estate address is ever dialled.
    """

    https_host: str | None = None
    https_port: int | None = None
    ca_file: Path | None = None                 # extra trust for the HTTPS APIs
    dns_nameservers: tuple[str, ...] = ()       # empty: the system's resolvers
    dns_port: int = 53
    tls_host: str | None = None                 # every TLS probe connects here when set
    tls_port: int | None = None
    tls_trust_files: tuple[Path, ...] = ()      # roots trusted for live endpoints, beside the system store
    # Estate mode only: the emulator's token endpoint accepts these.
    client_id: str | None = None
    client_secret: str | None = None

    @property
    def emulated(self) -> bool:
        return self.https_host is not None


ProgressCallback = Callable[[str, int, int], None]   # (stage, done, total)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class CollectContext:
    config: Config
    cloud: CloudEndpoints
    network: Network
    as_of: datetime
    tenant_id: str | None = None
    progress: ProgressCallback = field(default=_no_progress)
    # Names whose live traffic the logs stage reads beside the retired domains (a decommission target).
    traffic_names: tuple[str, ...] = ()
    # ARM's read bucket per subscription belongs to the identity, not to one stage: every stage
    # that reads ARM takes its tokens from this one copy.
    read_buckets: ReadBuckets = field(default_factory=ReadBuckets)
