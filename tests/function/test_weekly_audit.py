"""The timer trigger, invoked as the Functions host invokes it, audits the demo estate (served by
the emulator the core starts) and leaves its reports and history in Blob Storage served by Azurite."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from azure.functions.timer import TimerRequest
from azure.storage.blob import BlobServiceClient

from .conftest import WebhookReceiver, bindings, needs_azurite

pytestmark = [pytest.mark.integration, needs_azurite]

PROD = "/subscriptions/3f2c8a14-6b1e-4d2a-9c7e-5a1b2c3d4e5f"


def _blobs(connection_string: str, container: str) -> dict[str, bytes]:
    client = BlobServiceClient.from_connection_string(connection_string).get_container_client(container)
    return {blob.name: client.download_blob(blob.name).readall() for blob in client.list_blobs()}


def test_the_timer_is_bound_to_the_schedule_app_setting(functions: dict[str, Any]) -> None:
    [timer] = bindings(functions["weekly_audit"])
    assert (timer["type"], timer["schedule"], timer["runOnStartup"]) == ("timerTrigger", "%AUDIT_SCHEDULE%", False)


def test_two_weekly_runs_write_reports_and_history(
        functions: dict[str, Any], demo_estate: Path, storage_connection_string: str,
        app_settings: pytest.MonkeyPatch, webhook_receiver: WebhookReceiver,
        caplog: pytest.LogCaptureFixture) -> None:
    app_settings.setenv("AUDIT_SCHEDULE", "0 0 6 * * 1")
    app_settings.setenv("AUDITOR_ESTATE_DIR", str(demo_estate))
    app_settings.setenv("AUDITOR_STORAGE_CONNECTION_STRING", storage_connection_string)
    app_settings.setenv("AUDITOR_TEAMS_WEBHOOK_URL", webhook_receiver.url)
    weekly_audit = functions["weekly_audit"].get_user_function()

    with caplog.at_level(logging.INFO, logger="auditor"):
        weekly_audit(TimerRequest(past_due=False))
        first = _blobs(storage_connection_string, "auditor-reports")
        weekly_audit(TimerRequest(past_due=True))

    reports = _blobs(storage_connection_string, "auditor-reports")
    latest = json.loads(reports["latest/report.json"])
    assert latest["schema"] == "auditor-report/1"
    assert latest["tenant_id"] == "c0a7b8e2-4f1d-4e3a-9b6c-2d5e8f1a3b7c"
    assert latest["as_of"].startswith("2025-09-10T00:00:00")
    found = {(f["rule"], f["subject"]) for f in latest["findings"]}
    assert {("retired-domain-in-use", "login.contoso-legacy.net"),
            ("retired-domain-in-use", "shop.contoso-legacy.net"),
            ("cert-expired", "kv-contoso/wildcard-contoso-legacy-net"),
            ("tls-endpoint-broken", "orders.contoso.com"),
            ("tls-weak-protocol", "orders.contoso.com"),
            ("cert-expiring", f"{PROD}/resourceGroups/rg-web/providers/Microsoft.Web/certificates/billing-contoso-com"),
            } <= found
    assert latest["coverage"]["complete"] is False
    assert [(g["source"], g["target"]) for g in latest["coverage"]["gaps"]] == [("keyvault", "kv-secops")]

    html = reports["latest/report.html"].decode()
    assert html.lstrip().lower().startswith("<!doctype html") and "login.contoso-legacy.net" in html

    # Each run keeps its own copy beside latest/, and the second one knows the first.
    runs = sorted({name.split("/")[1] for name in reports if name.startswith("runs/")})
    assert len(runs) == 2
    assert reports.keys() == {f"runs/{r}/report.{ext}" for r in runs for ext in ("html", "json")} | {
        "latest/report.html", "latest/report.json"}
    assert set(first) == {f"runs/{runs[0]}/report.html", f"runs/{runs[0]}/report.json",
                          "latest/report.html", "latest/report.json"}
    assert json.loads(first["latest/report.json"])["changes"]["new"] == len(latest["findings"])
    changes = latest["changes"]
    assert (changes["new"], changes["resolved"], changes["still_open"]) == (0, 0, len(latest["findings"]))
    history = _blobs(storage_connection_string, "auditor-history")
    index = json.loads(history["index.json"])
    assert index["schema"] == "auditor-history-index/1"
    assert [r["run_id"] for r in index["runs"]] == [json.loads(first["latest/report.json"])["changes"]["run_id"],
                                                     changes["run_id"]]
    assert changes["previous_run_id"] == index["runs"][0]["run_id"]
    assert [r["findings"] for r in index["runs"]] == [len(latest["findings"])] * 2
    assert {f"runs/{r['run_id']}.json" for r in index["runs"]} <= history.keys()

    # The first run's findings were all new and were sent; the second had nothing new to say.
    assert len(webhook_receiver.posts) == 1
    secret = webhook_receiver.url.rsplit("/", 1)[1]
    stored = b"".join([*reports.values(), *history.values()])
    assert secret.encode() not in stored and secret not in caplog.text

    # Critical findings at the default fail-on (high) and an unreadable vault: exit code 1, coverage incomplete.
    finished = [r.getMessage() for r in caplog.records if r.getMessage().startswith("audit finished")]
    assert len(finished) == 2 and all("coverage INCOMPLETE, exit code 1," in m for m in finished)
    assert "coverage gap: keyvault kv-secops: forbidden" in caplog.text
    assert "the audit timer is past due" in caplog.text
