"""The rule catalogue for `auditor rules`: id, default severity and what each rule checks."""

from __future__ import annotations

import json

from rich.table import Table
from rich.text import Text

from auditor.report.escape import terminal
from auditor.report.table import console
from auditor.rules.registry import RULES

RULES_SCHEMA = "auditor-rules/1"


def rules_json() -> str:
    rows = [{"id": r.id, "severity": r.metadata.severity.value, "title": r.metadata.title,
             "checks": r.metadata.checks, "remediation": r.metadata.remediation,
             "references": list(r.metadata.references)} for r in RULES]
    return json.dumps({"schema": RULES_SCHEMA, "rules": rows}, indent=2, ensure_ascii=False) + "\n"


def rules_table(width: int = 120) -> str:
    out, buffer = console(False, width)
    table = Table(expand=False)
    table.add_column("rule", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("checks", overflow="fold")
    for rule in RULES:
        table.add_row(Text(rule.id), Text(rule.metadata.severity.value), Text(terminal(rule.metadata.checks)))
    out.print(table)
    return buffer.getvalue()


def render_rules(fmt: str, width: int = 120) -> str:
    return rules_json() if fmt == "json" else rules_table(width)
