"""The audit as the Azure Function runs it: settings from app settings, reports and
history in Blob Storage, notifications. The Function itself only calls this."""

from __future__ import annotations

import dataclasses
import json
from contextlib import suppress
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.core.environment import open_environment
from auditor.core.exit_codes import audit_exit_code
from auditor.errors import ConfigError
from auditor.model import DecommissionResult, Report, Severity

REPORT_CONTAINER = "auditor-reports"
HISTORY_CONTAINER = "auditor-history"


@dataclass(frozen=True)
class ScheduledSettings:
    storage_account_url: str | None        # managed identity (production)
    storage_connection_string: str | None  # a connection string (Azurite, local runs)
    report_container: str = REPORT_CONTAINER
    history_container: str = HISTORY_CONTAINER
    fail_on: Severity | None = None
    config_path: Path | None = None
    estate: Path | None = None             # estate mode, for trying the Function locally


def settings_from_environment(env: Mapping[str, str]) -> ScheduledSettings:
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
        config_path=Path(env["AUDITOR_CONFIG"]) if env.get("AUDITOR_CONFIG") else None,
        estate=Path(env["AUDITOR_ESTATE_DIR"]) if env.get("AUDITOR_ESTATE_DIR") else None,
    )


def _blob_service(settings: ScheduledSettings) -> Any:
    from azure.storage.blob import BlobServiceClient

    if settings.storage_connection_string:
        return BlobServiceClient.from_connection_string(settings.storage_connection_string)
    from azure.identity import DefaultAzureCredential

    return BlobServiceClient(account_url=str(settings.storage_account_url), credential=DefaultAzureCredential())


@dataclass(frozen=True)
class ScheduledOutcome:
    report: Report
    blobs: tuple[str, ...]
    exit_code: int


def run_scheduled_audit(settings: ScheduledSettings) -> ScheduledOutcome:
    from azure.core.exceptions import ResourceExistsError

    from auditor.core.pipeline import run_audit
    from auditor.history import BlobTarget, open_store
    from auditor.notify import send_sync
    from auditor.report import render

    service = _blob_service(settings)
    with open_environment(estate=settings.estate, config_path=settings.config_path, as_of=None) as env:
        outcome = run_audit(env)
        report = outcome.report
        store = open_store(env.config, blob=BlobTarget(account_url=service.url, container=settings.history_container,
                                                       credential=service.credential))
        diff = store.record(report)
        report = dataclasses.replace(report, changes=diff.changes_json())
        if env.config.notify.webhooks:
            report = dataclasses.replace(report, warnings=report.warnings + tuple(send_sync(report, diff, env.config)))
        threshold = settings.fail_on or env.config.report.fail_on
        html = render(report, "html", diff=diff, certificates=outcome.inventory.certificates, fail_on=threshold)
        body = json.dumps(report.to_json(), indent=2)
    container = service.get_container_client(settings.report_container)
    with suppress(ResourceExistsError):   # there already: the normal case after the first run
        container.create_container()
    stamp = report.started.strftime("%Y-%m-%dT%H%M%SZ")
    written = []
    for name, text, kind in ((f"runs/{stamp}/report.html", html, "text/html"),
                             (f"runs/{stamp}/report.json", body, "application/json"),
                             ("latest/report.html", html, "text/html"),
                             ("latest/report.json", body, "application/json")):
        from azure.storage.blob import ContentSettings

        container.upload_blob(name, text.encode("utf-8"), overwrite=True,
                              content_settings=ContentSettings(content_type=kind))
        written.append(name)
    return ScheduledOutcome(report=report, blobs=tuple(written),
                            exit_code=audit_exit_code(report.findings, report.complete, threshold))


def run_decommission_check(settings: ScheduledSettings, target: str) -> DecommissionResult:
    from auditor.core.pipeline import run_decommission

    with open_environment(estate=settings.estate, config_path=settings.config_path, as_of=None) as env:
        return run_decommission(env, target)
