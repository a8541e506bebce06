"""The auditor as an Azure Function (Python v2 programming model).

A timer runs the weekly audit with the app's managed identity and writes the HTML
and JSON reports and the run history to Blob Storage; an HTTP trigger answers
`decommission check` for pipelines. Both call auditor.core, like the CLI.
"""

from __future__ import annotations

import json
import logging
import os

import azure.functions as func

from auditor.core.scheduled import run_decommission_check, run_scheduled_audit, settings_from_environment
from auditor.errors import AuditorError

app = func.FunctionApp(http_auth_level=func.AuthLevel.FUNCTION)
log = logging.getLogger("auditor.function")


@app.timer_trigger(schedule="%AUDIT_SCHEDULE%", arg_name="timer", run_on_startup=False, use_monitor=True)
def weekly_audit(timer: func.TimerRequest) -> None:
    if timer.past_due:
        log.warning("the audit timer is past due; running now")
    outcome = run_scheduled_audit(settings_from_environment(os.environ))
    report = outcome.report
    log.info("audit finished: %d findings, coverage %s, exit code %d, wrote %s",
             len(report.findings), "complete" if report.complete else "INCOMPLETE",
             outcome.exit_code, ", ".join(outcome.blobs))
    for gap in report.gaps:
        log.warning("coverage gap: %s %s: %s", gap.source.value, gap.target, gap.reason.value)


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
        result = run_decommission_check(settings_from_environment(os.environ), str(target).strip())
    except AuditorError as exc:
        return _error(400, str(exc))
    # 200 whatever the verdict: the body's `safe` and `complete` are the answer.
    return func.HttpResponse(json.dumps(result.to_json(), indent=2), status_code=200,
                             mimetype="application/json")


def _error(status: int, message: str) -> func.HttpResponse:
    return func.HttpResponse(json.dumps({"error": message}), status_code=status, mimetype="application/json")
