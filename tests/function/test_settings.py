"""App settings: what the Function reads, and one clear line when something is missing or wrong."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from azure.functions.timer import TimerRequest

from auditor.config import Webhook, default_config
from auditor.core.scheduled import (
    HISTORY_CONTAINER,
    REPORT_CONTAINER,
    ScheduledSettings,
    run_scheduled_audit,
    settings_from_environment,
    with_setting_webhooks,
)
from auditor.errors import ConfigError
from auditor.model import Severity

ACCOUNT_URL = "https://contosoaudit.blob.core.windows.net/"


def test_production_settings() -> None:
    settings = settings_from_environment({
        "AUDITOR_STORAGE_ACCOUNT_URL": ACCOUNT_URL, "AUDITOR_FAIL_ON": "Critical",
        "AUDITOR_REPORT_CONTAINER": "reports", "AUDIT_SCHEDULE": "0 0 6 * * 1",
        "AUDITOR_TEAMS_WEBHOOK_URL": "https://example.invalid/workflows/sig-secret"})
    assert settings == ScheduledSettings(
        storage_account_url=ACCOUNT_URL, storage_connection_string=None, report_container="reports",
        history_container=HISTORY_CONTAINER, fail_on=Severity.CRITICAL, config_path=None, estate=None,
        webhooks=(Webhook(kind="teams", url_env="AUDITOR_TEAMS_WEBHOOK_URL"),))
    assert "sig-secret" not in repr(settings)   # only the setting's name is kept


def test_defaults() -> None:
    settings = settings_from_environment({"AUDITOR_STORAGE_ACCOUNT_URL": ACCOUNT_URL, "AUDITOR_FAIL_ON": ""})
    assert (settings.report_container, settings.history_container) == (REPORT_CONTAINER, HISTORY_CONTAINER)
    assert (settings.fail_on, settings.config_path, settings.estate, settings.webhooks) == (None, None, None, ())


@pytest.mark.parametrize(("env", "message"), [
    ({}, "set AUDITOR_STORAGE_ACCOUNT_URL (or AUDITOR_STORAGE_CONNECTION_STRING)"),
    ({"AUDITOR_STORAGE_ACCOUNT_URL": ""}, "set AUDITOR_STORAGE_ACCOUNT_URL"),
    ({"AUDITOR_STORAGE_ACCOUNT_URL": ACCOUNT_URL, "AUDITOR_FAIL_ON": "urgent"},
     "AUDITOR_FAIL_ON must be critical, high, medium or low, not 'urgent'"),
])
def test_bad_settings_are_one_clear_line(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=r"^[^\n]+$") as raised:
        settings_from_environment(env)
    assert message in str(raised.value)


def test_a_bad_connection_string_is_named_without_its_value() -> None:
    key = "c2VjcmV0LWFjY291bnQta2V5"
    settings = settings_from_environment({"AUDITOR_STORAGE_CONNECTION_STRING": f"AccountKey={key};junk"})
    with pytest.raises(ConfigError) as raised:
        run_scheduled_audit(settings)
    assert str(raised.value) == "AUDITOR_STORAGE_CONNECTION_STRING is not a storage connection string"
    assert key not in repr(raised.value.__cause__) and raised.value.__suppress_context__


def test_config_is_found_beside_the_function_app(tmp_path: Path) -> None:
    base = {"AUDITOR_STORAGE_ACCOUNT_URL": ACCOUNT_URL}
    assert settings_from_environment(base, app_dir=tmp_path).config_path is None
    (tmp_path / "auditor.toml").write_text("[report]\nfail_on = 'critical'\n")
    assert settings_from_environment(base, app_dir=tmp_path).config_path == tmp_path / "auditor.toml"
    relative = settings_from_environment({**base, "AUDITOR_CONFIG": "conf/prod.toml"}, app_dir=tmp_path)
    assert relative.config_path == tmp_path / "conf" / "prod.toml"
    absolute = settings_from_environment({**base, "AUDITOR_CONFIG": "/etc/auditor.toml"}, app_dir=tmp_path)
    assert absolute.config_path == Path("/etc/auditor.toml")


def test_setting_webhooks_join_the_configured_ones_once() -> None:
    config = default_config()
    configured = Webhook(kind="teams", url_env="AUDITOR_TEAMS_WEBHOOK_URL")
    config = with_setting_webhooks(config, (configured,))
    assert config.notify.webhooks == (configured,)
    slack = Webhook(kind="slack", url_env="AUDITOR_SLACK_WEBHOOK_URL")
    assert with_setting_webhooks(config, (configured, slack)).notify.webhooks == (configured, slack)
    assert with_setting_webhooks(config, ()) is config


def test_the_timer_without_storage_fails_with_one_line(
        functions: dict[str, Any], app_settings: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    app_settings.setenv("AUDIT_SCHEDULE", "0 0 6 * * 1")
    weekly_audit = functions["weekly_audit"].get_user_function()
    with pytest.raises(ConfigError, match="set AUDITOR_STORAGE_ACCOUNT_URL"):
        weekly_audit(TimerRequest(past_due=False))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == ["audit not run: set AUDITOR_STORAGE_ACCOUNT_URL (or AUDITOR_STORAGE_CONNECTION_STRING) "
                      "so reports and history have somewhere to go"]
