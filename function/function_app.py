"""The auditor as an Azure Function (Python v2 programming model).

A timer runs the weekly audit with the app's managed identity and writes the HTML
and JSON reports and the run history to Blob Storage; an HTTP trigger answers
`decommission check` for pipelines. Both call auditor.core, like the CLI.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import azure.functions as func

from auditor.core.scheduled import (
    ScheduledSettings,
    run_decommission_check,
    run_scheduled_audit,
    settings_from_environment,
)
from auditor.errors import AuditorError, ConfigError, EstateError
from auditor.report.escape import log_text

# auditor.toml deployed beside this file is the default config; a relative AUDITOR_CONFIG is found here too.
APP_DIR = Path(__file__).resolve().parent

app = func.FunctionApp(http_auth_level=func.AuthLevel.FUNCTION)
log = logging.getLogger("auditor.function")


def _settings() -> ScheduledSettings:
    return settings_from_environment(os.environ, app_dir=APP_DIR)


@app.timer_trigger(schedule="%AUDIT_SCHEDULE%", arg_name="timer", run_on_startup=False, use_monitor=True)
def weekly_audit(timer: func.TimerRequest) -> None:
    if timer.past_due:
        log.warning("the audit timer is past due; running now")
    try:
        outcome = run_scheduled_audit(_settings())
    except AuditorError as exc:
        # One line that says what to fix; the invocation still fails, so the host records it.
        log.error("audit not run: %s", log_text(exc))
        raise
    report = outcome.report
    log.info("audit finished: %d findings, coverage %s, exit code %d, wrote %s",
             len(report.findings), "complete" if report.complete else "INCOMPLETE",
             outcome.exit_code, ", ".join(outcome.blobs))
    for gap in report.gaps:
        log.warning("coverage gap: %s %s: %s", gap.source.value, log_text(gap.target), gap.reason.value)
    for warning in report.warnings:
        log.warning("%s", log_text(warning))


@app.route(route="decommission/check", methods=["GET", "POST"])
def decommission_check(req: func.HttpRequest) -> func.HttpResponse:
    target = req.params.get("target")
    if not target and req.get_body():
        try:
            body = req.get_json()
        except ValueError:
            return _error(400, "the body must be JSON: {\"target\": \"contoso-legacy.net\"}")
        target = body.get("target") if isinstance(body, dict) else None
    if not target or not str(target).strip():
        return _error(400, "name the domain, host name or certificate to check: ?target=contoso-legacy.net")
    try:
        result = run_decommission_check(_settings(), str(target).strip())
    except (ConfigError, EstateError) as exc:
        # The app's settings or config are wrong, not the caller's request.
        log.error("decommission check not run: %s", log_text(exc))
        return _error(500, f"the auditor function is misconfigured: {exc}")
    except AuditorError as exc:
        return _error(400, str(exc))
    # 200 whatever the verdict: the body's `safe` and `complete` are the answer.
    return func.HttpResponse(json.dumps(result.to_json(), indent=2), status_code=200,
                             mimetype="application/json")


def _error(status: int, message: str) -> func.HttpResponse:
    return func.HttpResponse(json.dumps({"error": message}), status_code=status, mimetype="application/json")
