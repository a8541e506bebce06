"""auditor-report/1 exactly (CONTRACT section 3); `changes` only when history is on."""

from __future__ import annotations

import json

from auditor.history.model import RunDiff
from auditor.model.report import Report
from auditor.report.escape import json_text


def render_json(report: Report, diff: RunDiff | None = None) -> str:
    body = report.to_json()
    if diff is not None:
        body["changes"] = diff.changes_json()
    return json_text(json.dumps(body, indent=2, ensure_ascii=False)) + "\n"
