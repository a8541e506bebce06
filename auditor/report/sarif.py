"""SARIF 2.1.0 for code-scanning views: one rule per rule id, logical locations are resource ids."""

from __future__ import annotations

import json
from typing import Any

from auditor.model.common import Severity
from auditor.model.report import Report
from auditor.report.escape import json_text
from auditor.report.ordering import ordered

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note", Severity.INFO: "note"}
# GitHub code scanning reads `security-severity` (0-10) to rank results.
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                     Severity.LOW: "3.0", Severity.INFO: "0.0"}


def render_sarif(report: Report, anchor: str = "auditor.toml") -> str:
    """`anchor` is a repository-relative file every result also points at: GitHub code scanning rejects
    results whose only location is logical, and an estate finding has no source line of its own."""
    findings = ordered(report.findings)
    rule_ids = sorted({f.rule for f in findings})
    worst = {r: max((f.severity for f in findings if f.rule == r), key=lambda s: s.rank) for r in rule_ids}
    example = {r: next(f for f in findings if f.rule == r) for r in rule_ids}
    rules = [{
        "id": r,
        "name": "".join(part.capitalize() for part in r.split("-")),
        "shortDescription": {"text": r.replace("-", " ")},
        "help": {"text": example[r].remediation},
        "defaultConfiguration": {"level": LEVELS[worst[r]]},
        "properties": {"security-severity": SECURITY_SEVERITY[worst[r]], "tags": ["azure", "certificates"]},
    } for r in rule_ids]
    index = {r: i for i, r in enumerate(rule_ids)}
    results = [_result(f, index[f.rule], anchor) for f in findings]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "auditor", "rules": rules}},
            "invocations": [{"executionSuccessful": report.complete,
                             "toolExecutionNotifications": [
                                 {"level": "warning", "message": {"text": f"could not read {g.source.value} "
                                                                           f"{g.target}: {g.reason.value}"}}
                                 for g in report.gaps]}],
            "results": results,
        }],
    }
    return json_text(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"


def _result(finding: Any, rule_index: int, anchor: str) -> dict[str, Any]:
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.title}. {finding.remediation}"},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": anchor}, "region": {"startLine": 1}},
            "logicalLocations": [{"fullyQualifiedName": finding.resource_id or finding.subject, "kind": "resource"}],
        }],
        "partialFingerprints": {"auditorFindingId/v1": finding.id},
        "properties": {"severity": finding.severity.value, "subject": finding.subject,
                       "evidence": dict(finding.evidence)},
    }
