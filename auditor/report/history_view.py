"""`auditor history`: the stored runs, and what changed between two of them, as table, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from auditor.history.model import FindingChange, RunDiff, RunSummary
from auditor.model.report import iso
from auditor.report.escape import json_text, md, md_cell, terminal
from auditor.report.table import console

HISTORY_FORMATS = ("table", "json", "markdown")


def render_runs(runs: Sequence[RunSummary], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"schema": "auditor-history-runs/1", "runs": [r.to_json() for r in runs]}, indent=2) + "\n"
    header = ("run", "tenant", "as of", "findings", "critical", "high", "coverage")
    rows = [(r.run_id, r.tenant_id, iso(r.as_of), str(r.findings), str(r.counts_by_severity.get("critical", 0)),
             str(r.counts_by_severity.get("high", 0)), "complete" if r.complete else "incomplete") for r in runs]
    if fmt == "markdown":
        lines = ["# Audit runs", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        out, buffer = console(False, 120)
        table = Table(title=Text(f"{len(runs)} recorded run(s)"), title_justify="left")
        for column in header:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(terminal(v)) for v in row))
        out.print(table)
        return buffer.getvalue()
    raise ValueError(f"history format must be one of {', '.join(HISTORY_FORMATS)}, not {fmt!r}")


def _rows(diff: RunDiff) -> list[tuple[str, FindingChange]]:
    return ([("new", c) for c in diff.new] + [("resolved", c) for c in diff.resolved]
            + [("open", c) for c in diff.still_open])


def render_diff(diff: RunDiff, fmt: str) -> str:
    if fmt == "json":
        return json_text(json.dumps(diff.to_json(), indent=2, ensure_ascii=False)) + "\n"
    earlier = diff.earlier.run_id if diff.earlier else "(none)"
    heading = f"Changes from {earlier} to {diff.later.run_id}"
    counts = f"{len(diff.new)} new, {len(diff.resolved)} resolved, {len(diff.still_open)} still open"
    header = ("status", "severity", "rule", "subject", "first seen", "age")
    rows = [(status, c.finding.severity.value, c.finding.rule, c.finding.subject, iso(c.finding.first_seen)[:10],
             f"{c.age_days} d") for status, c in _rows(diff)]
    if fmt == "markdown":
        lines = [f"# {md(heading)}", "", counts, "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        out, buffer = console(False, 120)
        out.print(Text(terminal(heading), style="bold"))
        out.print(Text(counts))
        table = Table()
        for column in header:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(Text(terminal(v)) for v in row))
        out.print(table)
        return buffer.getvalue()
    raise ValueError(f"history format must be one of {', '.join(HISTORY_FORMATS)}, not {fmt!r}")
