"""auditor.toml: defaults follow the contract, and every mistake is one clear error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from auditor.config import load_config, parse_config
from auditor.errors import ConfigError
from auditor.model import Severity


def test_defaults_follow_the_contract() -> None:
    config = parse_config({})
    assert (config.thresholds.critical_days, config.thresholds.high_days, config.thresholds.medium_days) == (7, 14, 30)
    assert config.thresholds.lifetime_fraction == pytest.approx(1 / 3)
    assert config.thresholds.app_service_sync_hours == 24
    assert config.thresholds.front_door_sync_hours == 72
    assert config.decommission.retired_tag == "auditor:retired"
    assert config.cloud.arm == "https://management.azure.com"


def test_full_config_is_read(tmp_path: Path) -> None:
    path = tmp_path / "auditor.toml"
    path.write_text("""
[scope]
subscriptions = ["11111111-1111-1111-1111-111111111111"]
[decommission]
retired_domains = ["Contoso-Legacy.NET."]
[[suppressions]]
rule = "cert-expiring"
subject = "api.contoso.com"
reason = "replaced by the new gateway on 1 October"
expires = 2025-10-01
[report]
fail_on = "critical"
[notify]
min_severity = "medium"
[[notify.webhooks]]
kind = "teams"
url_env = "TEAMS_URL"
""")
    config = load_config(path, required=True)
    assert config.scope.subscriptions == ("11111111-1111-1111-1111-111111111111",)
    assert config.decommission.retired_domains == ("contoso-legacy.net",)
    assert config.suppressions[0].expires == date(2025, 10, 1)
    assert config.report.fail_on is Severity.CRITICAL
    assert config.notify.min_severity is Severity.MEDIUM
    assert config.notify.webhooks[0].url_env == "TEAMS_URL"


@pytest.mark.parametrize(("raw", "message"), [
    ({"scope": {"subscription": []}}, "unknown key 'subscription' in scope"),
    ({"thresholds": {"critical_days": "seven"}}, "thresholds.critical_days"),
    ({"thresholds": {"critical_days": 20}}, "critical_days <= high_days"),
    ({"thresholds": {"lifetime_fraction": 1.5}}, "lifetime_fraction"),
    ({"report": {"fail_on": "urgent"}}, "report.fail_on"),
    ({"suppressions": [{"rule": "cert-expired"}]}, "missing a required key"),
    ({"suppressions": [{"rule": "r", "subject": "s", "reason": "x", "expires": "soon"}]}, "expires"),
    ({"notify": {"webhooks": [{"kind": "email", "url": "x"}]}}, "teams, slack or json"),
    ({"notify": {"webhooks": [{"kind": "teams"}]}}, "url or url_env"),
    ({"cloud": {"name": "mars"}}, "cloud.name"),
])
def test_mistakes_are_one_clear_error(raw: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace(".", r"\.").replace("(", r"\(")):
        parse_config(raw)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "auditor.toml"
    path.write_text("[scope\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", required=True)
    assert load_config(tmp_path / "nope.toml").suppressions == ()
