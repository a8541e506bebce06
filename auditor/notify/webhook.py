"""Any other receiver: a plain JSON document (auditor-notification/1)."""

from __future__ import annotations

from typing import Any

from auditor.model.report import iso
from auditor.notify.selection import Notification
from auditor.report.ordering import severity_counts

SCHEMA = "auditor-notification/1"


def json_payload(note: Notification) -> dict[str, Any]:
    report = note.report
    return {
        "schema": SCHEMA,
        "tenant_id": report.tenant_id,
        "as_of": iso(report.as_of),
        "summary": {
            "text": note.summary,
            "findings": len(report.findings),
            "by_severity": {s.value: n for s, n in severity_counts(report.findings).items()},
            "coverage_complete": report.complete,
            "only_new": note.only_new,
        },
        "findings": [{**f.to_json(), "new": f.id in note.new_ids} for f in note.findings],
    }
