"""What gets deployed: the app folder installs exactly the wheel the repository builds."""

from __future__ import annotations

import json
import tomllib

from .conftest import FUNCTION_DIR

ROOT = FUNCTION_DIR.parent


def _requirements() -> list[str]:
    lines = (FUNCTION_DIR / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_requirements_name_the_wheel_of_this_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    # `python -m pip wheel . -w function/dist --no-deps` writes this file name.
    assert f"./dist/auditor-{version}-py3-none-any.whl" in _requirements()
    assert any(line.startswith("azure-functions") for line in _requirements())


def test_host_runs_long_enough_and_uses_the_v4_bundle() -> None:
    host = json.loads((FUNCTION_DIR / "host.json").read_text())
    assert host["version"] == "2.0"
    hours, minutes, _ = (int(part) for part in host["functionTimeout"].split(":"))
    assert hours * 60 + minutes >= 30     # a large tenant's audit takes minutes, not the 5 of the old default
    assert host["extensionBundle"]["version"].startswith("[4.")


def test_app_settings_the_bicep_sets_are_the_ones_the_function_reads() -> None:
    bicep = (ROOT / "infra" / "bicep" / "modules" / "functionapp.bicep").read_text()
    scheduled = (ROOT / "auditor" / "core" / "scheduled.py").read_text()
    for setting in ("AUDIT_SCHEDULE", "AUDITOR_FAIL_ON", "AUDITOR_STORAGE_ACCOUNT_URL", "AUDITOR_REPORT_CONTAINER",
                    "AUDITOR_TEAMS_WEBHOOK_URL", "AUDITOR_SLACK_WEBHOOK_URL", "AZURE_CLIENT_ID"):
        assert f"name: '{setting}'" in bicep
    for setting in ("AUDITOR_FAIL_ON", "AUDITOR_STORAGE_ACCOUNT_URL", "AUDITOR_REPORT_CONTAINER",
                    "AUDITOR_TEAMS_WEBHOOK_URL", "AUDITOR_SLACK_WEBHOOK_URL"):
        assert f'"{setting}"' in scheduled
    assert "%AUDIT_SCHEDULE%" in (FUNCTION_DIR / "function_app.py").read_text()
