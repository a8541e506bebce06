"""`make test` installs every server the integration tests start; a missing one is a
failure here rather than a quiet skip elsewhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("binary", ["knotd", "nsd", "nginx", "dig", "chromium", "node"])
def test_system_tool_is_installed(binary: str) -> None:
    assert shutil.which(binary) or Path(f"/usr/sbin/{binary}").exists(), \
        f"{binary} is missing: run `make install` (scripts/install-system.sh)"


def test_azurite_is_installed() -> None:
    assert (ROOT / ".tools" / "node_modules" / ".bin" / "azurite-blob").exists(), \
        "Azurite is missing: run `make install` (scripts/install-system.sh)"
