"""Estate mode or real Azure: where the run connects, its clock, and its config.

The two modes differ only here. Estate mode starts the emulator on loopback and
hands the collectors a Network that sends every connection to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from auditor.collect.context import Network
from auditor.config import Config, load_config
from auditor.errors import AuditorError


@dataclass(frozen=True)
class Environment:
    config: Config
    network: Network
    as_of: datetime
    tenant_id: str | None
    estate: Path | None


def parse_as_of(text: str) -> datetime:
    from auditor.estate.load import parse_timestamp

    try:
        return parse_timestamp(text)
    except ValueError:
        raise AuditorError(f"--as-of must be an ISO-8601 timestamp, not {text!r}") from None


def choose_config_path(config_path: Path | None, estate: Path | None) -> tuple[Path | None, bool]:
    """(path, required): an explicit --config must exist; defaults may be absent."""
    if config_path is not None:
        return config_path, True
    if estate is not None and (estate / "auditor.toml").exists():
        return estate / "auditor.toml", True
    return Path("auditor.toml"), False


@contextmanager
def open_environment(*, estate: Path | None, config_path: Path | None, as_of: str | None,
                     subscriptions: tuple[str, ...] | None = None) -> Iterator[Environment]:
    """`subscriptions` (from --subscription) replaces the config's scope.subscriptions."""
    path, required = choose_config_path(config_path, estate)
    config = load_config(path, required=required)
    if subscriptions:
        config = replace(config, scope=replace(config.scope, subscriptions=subscriptions))
    if estate is None:
        clock = parse_as_of(as_of) if as_of else datetime.now(UTC)
        yield Environment(config=config, network=Network(), as_of=clock, tenant_id=None, estate=None)
        return
    from auditor.emulator import Emulator

    emulator = Emulator(estate, cloud=config.cloud)
    endpoints = emulator.start()
    try:
        clock = parse_as_of(as_of) if as_of else endpoints.as_of
        network = endpoints.network()
        trust = tuple(sorted((estate / "tls" / "_trust").glob("*.pem")))
        if trust and not network.tls_trust_files:
            network = replace(network, tls_trust_files=trust)
        yield Environment(config=config, network=network, as_of=clock,
                          tenant_id=endpoints.tenant_id, estate=estate)
    finally:
        emulator.stop()
