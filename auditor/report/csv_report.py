"""One row per finding, for spreadsheets: cells that could run as formulas are defused."""

from __future__ import annotations

import csv
import io
import json

from auditor.history.model import RunDiff
from auditor.model.report import Report, iso
from auditor.report.escape import spreadsheet_cell
from auditor.report.ordering import ordered

COLUMNS = ("id", "severity", "rule", "subject", "resource_id", "title", "remediation", "status", "first_seen",
           "age_days", "evidence")


def render_csv(report: Report, diff: RunDiff | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for finding in ordered(report.findings):
        change = diff.status_of(finding.id) if diff else None
        status = ("new" if diff.is_new(finding.id) else "open") if diff and change else ""
        row = (finding.id, finding.severity.value, finding.rule, finding.subject, finding.resource_id,
               finding.title, finding.remediation, status,
               iso(change.finding.first_seen) if change else "", str(change.age_days) if change else "",
               json.dumps(dict(finding.evidence), sort_keys=True, ensure_ascii=False))
        writer.writerow([spreadsheet_cell(v) for v in row])
    return out.getvalue()
