"""The audit as the Azure Function runs it: settings from app settings, reports and
history in Blob Storage, notifications. The Function itself only calls this."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.config import Config, Webhook
from auditor.core.environment import open_environment
from auditor.core.exit_codes import audit_exit_code
from auditor.errors import AuditorError, ConfigError
from auditor.model import DecommissionResult, Report, Severity

REPORT_CONTAINER = "auditor-reports"
HISTORY_CONTAINER = "auditor-history"
# App settings holding webhook URLs (Key Vault references in Azure): the settings keep
# only the setting's name, and the URL is read from the environment when sending.
WEBHOOK_SETTINGS = {"AUDITOR_TEAMS_WEBHOOK_URL": "teams", "AUDITOR_SLACK_WEBHOOK_URL": "slack",
                    "AUDITOR_JSON_WEBHOOK_URL": "json"}


@dataclass(frozen=True)
class ScheduledSettings:
    storage_account_url: str | None        # managed identity (production)
    storage_connection_string: str | None  # a connection string (Azurite, local runs)
    report_container: str = REPORT_CONTAINER
    history_container: str = HISTORY_CONTAINER
    fail_on: Severity | None = None
    config_path: Path | None = None
    estate: Path | None = None             # estate mode, for trying the Function locally
    webhooks: tuple[Webhook, ...] = ()     # from WEBHOOK_SETTINGS; never the URL itself


def settings_from_environment(env: Mapping[str, str], *, app_dir: Path | None = None) -> ScheduledSettings:
    """The Function's app settings. A relative AUDITOR_CONFIG, and the default `auditor.toml`
    deployed beside function_app.py, are found in `app_dir`, not the worker's working directory."""
    url = env.get("AUDITOR_STORAGE_ACCOUNT_URL") or None
    conn = env.get("AUDITOR_STORAGE_CONNECTION_STRING") or None
    if not url and not conn:
        raise ConfigError("set AUDITOR_STORAGE_ACCOUNT_URL (or AUDITOR_STORAGE_CONNECTION_STRING) "
                          "so reports and history have somewhere to go")
    fail_on = env.get("AUDITOR_FAIL_ON")
    try:
        severity = Severity(fail_on.lower()) if fail_on else None
    except ValueError:
        raise ConfigError(f"AUDITOR_FAIL_ON must be critical, high, medium or low, not {fail_on!r}") from None
    return ScheduledSettings(
        storage_account_url=url,
        storage_connection_string=conn,
        report_container=env.get("AUDITOR_REPORT_CONTAINER") or REPORT_CONTAINER,
        history_container=env.get("AUDITOR_HISTORY_CONTAINER") or HISTORY_CONTAINER,
        fail_on=severity,
        config_path=_config_path(env.get("AUDITOR_CONFIG") or None, app_dir),
        estate=Path(env["AUDITOR_ESTATE_DIR"]) if env.get("AUDITOR_ESTATE_DIR") else None,
        webhooks=tuple(Webhook(kind=kind, url_env=name) for name, kind in WEBHOOK_SETTINGS.items() if env.get(name)),
    )


def _config_path(setting: str | None, app_dir: Path | None) -> Path | None:
    if setting is None:
        beside = app_dir / "auditor.toml" if app_dir is not None else None
        return beside if beside is not None and beside.exists() else None
    path = Path(setting)
    return app_dir / path if app_dir is not None and not path.is_absolute() else path


def with_setting_webhooks(config: Config, webhooks: tuple[Webhook, ...]) -> Config:
    """Adds the app settings' webhooks that auditor.toml does not already name."""
    named = {hook.url_env for hook in config.notify.webhooks if hook.url_env}
    extra = tuple(hook for hook in webhooks if hook.url_env not in named)
    if not extra:
        return config
    return dataclasses.replace(config, notify=dataclasses.replace(config.notify,
                                                                   webhooks=config.notify.webhooks + extra))


def _blob_service(settings: ScheduledSettings) -> Any:
    from azure.storage.blob import BlobServiceClient

    if settings.storage_connection_string:
        try:
            return BlobServiceClient.from_connection_string(settings.storage_connection_string)
        except ValueError:   # the SDK's message may quote the string, and with it the account key
            raise ConfigError("AUDITOR_STORAGE_CONNECTION_STRING is not a storage connection string") from None
    from azure.identity import DefaultAzureCredential

    return BlobServiceClient(account_url=str(settings.storage_account_url), credential=DefaultAzureCredential())


@dataclass(frozen=True)
class ScheduledOutcome:
    report: Report
    blobs: tuple[str, ...]
    exit_code: int


def run_scheduled_audit(settings: ScheduledSettings) -> ScheduledOutcome:
    from auditor.core.pipeline import run_audit
    from auditor.history import BlobTarget, open_store
    from auditor.notify import send_sync
    from auditor.report import render

    service = _blob_service(settings)
    with open_environment(estate=settings.estate, config_path=settings.config_path, as_of=None) as opened:
        env = dataclasses.replace(opened, config=with_setting_webhooks(opened.config, settings.webhooks))
        outcome = run_audit(env)
        report = outcome.report
        store = open_store(env.config, blob=BlobTarget(account_url=service.url, container=settings.history_container,
                                                       credential=service.credential))
        # Recorded only once the report is written (below): an unwritten report leaves no history.
        diff = store.preview(outcome.report)
        report = dataclasses.replace(report, changes=diff.changes_json())
        if env.config.notify.webhooks:
            report = dataclasses.replace(report, warnings=report.warnings + tuple(send_sync(report, diff, env.config)))
        threshold = settings.fail_on or env.config.report.fail_on
        html = render(report, "html", diff=diff, certificates=outcome.inventory.certificates, fail_on=threshold)
        body = json.dumps(report.to_json(), indent=2)
    stamp = report.started.strftime("%Y-%m-%dT%H%M%SZ")
    written = _upload_reports(service, settings.report_container, (
        (f"runs/{stamp}/report.html", html, "text/html"),
        (f"runs/{stamp}/report.json", body, "application/json"),
        ("latest/report.html", html, "text/html"),
        ("latest/report.json", body, "application/json")))
    store.record(outcome.report, diff.later.run_id)
    return ScheduledOutcome(report=report, blobs=written,
                            exit_code=audit_exit_code(report.findings, report.complete, threshold))


def _upload_reports(service: Any, container_name: str, blobs: tuple[tuple[str, str, str], ...]) -> tuple[str, ...]:
    from azure.core.exceptions import AzureError, ResourceExistsError
    from azure.storage.blob import ContentSettings

    container = service.get_container_client(container_name)
    written = []
    try:
        with suppress(ResourceExistsError):   # there already: the normal case after the first run
            container.create_container()
        for name, text, kind in blobs:
            container.upload_blob(name, text.encode("utf-8"), overwrite=True,
                                  content_settings=ContentSettings(content_type=kind))
            written.append(name)
    except AzureError as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise AuditorError(f"cannot write the report to container {container_name!r} "
                           f"(written so far: {', '.join(written) or 'nothing'}): {first_line}") from exc
    return tuple(written)


def run_decommission_check(settings: ScheduledSettings, target: str) -> DecommissionResult:
    from auditor.core.pipeline import run_decommission

    with open_environment(estate=settings.estate, config_path=settings.config_path, as_of=None) as env:
        return run_decommission(env, target)
