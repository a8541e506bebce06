"""AUDITOR_DEBUG=1 shows the Azure SDKs' debug logs (docs/usage.md), and never a secret:
no app-setting or connection-string value, no token, no client secret."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from auditor.debug_logs import scrub
from auditor.estate.builder.build import build_estate
from auditor.estate.builder.spec import EstateSpec, Site

SECRET = "Sup3rSecretPassw0rdValue"


def test_debug_shows_sdk_logs_without_secrets(tmp_path: Path) -> None:
    site = Site("app-secret", app_settings={"DB_PASSWORD": SECRET, "API_URL": "https://api.fabrikam.io"},
                connection_strings={"Main": f"Server=db.fabrikam.io;Password={SECRET}"})
    estate = build_estate(EstateSpec(sites=(site,)), tmp_path / "estate")
    env = {**os.environ, "AUDITOR_DEBUG": "1"}
    proc = subprocess.run([sys.executable, "-m", "auditor", "audit", "--estate", str(estate), "--no-history",
                           "-f", "json", "-o", str(tmp_path / "r.json")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=180, env=env)
    assert proc.returncode in (0, 1, 3), proc.stderr[-2000:]
    log = proc.stderr
    assert "azure.core.pipeline.policies.http_logging_policy" in log and "Request URL" in log
    assert "/config/appsettings/list" in log          # the read of the secrets is logged, not its answer
    assert SECRET not in log
    assert not re.search(r"Bearer\s+ey", log)
    assert not re.search(r"client_secret=(?!REDACTED)[^&\s'\"]+", log)


def test_scrub_removes_known_secret_shapes() -> None:
    line = ("Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi client_secret=abc123xyz&grant_type=x "
            'AccountKey=c2VjcmV0a2V5; sig=Zm9vYmFy {"access_token": "tok-123", "value": "p@ss"}')
    cleaned = scrub(line)
    for secret in ("eyJ0eXAi", "abc123xyz", "c2VjcmV0a2V5", "Zm9vYmFy", "tok-123", "p@ss"):
        assert secret not in cleaned
    assert "grant_type=x" in cleaned
