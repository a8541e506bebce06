"""An identity that cannot sign in at all is one clear error, not a report full of gaps."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from auditor.collect.azure import collect_azure
from auditor.collect.context import CollectContext
from auditor.config import default_config
from auditor.emulator import Emulator
from auditor.errors import AuditorError
from auditor.estate.demo import build_demo


async def test_a_rejected_identity_stops_the_run_with_one_error(tmp_path: Path) -> None:
    estate = build_demo(tmp_path / "estate")
    config = default_config()
    with Emulator(estate) as endpoints:
        network = dataclasses.replace(endpoints.network(), client_secret="not-the-secret")
        context = CollectContext(config=config, cloud=config.cloud, network=network,
                                 as_of=datetime(2025, 9, 10, tzinfo=UTC), tenant_id=endpoints.tenant_id)
        with pytest.raises(AuditorError, match="cannot sign in to AzureCloud"):
            await collect_azure(context)
