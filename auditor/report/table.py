"""The terminal view: summary, findings grouped by severity, coverage gaps. Plain text unless colour is asked for."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.history.model import RunDiff
from auditor.model.common import Severity
from auditor.model.report import Report, iso
from auditor.report.escape import terminal
from auditor.report.ordering import by_severity, severity_counts

STYLES = {Severity.CRITICAL: "bold red", Severity.HIGH: "red", Severity.MEDIUM: "yellow",
          Severity.LOW: "cyan", Severity.INFO: "dim"}


def console(color: bool, width: int) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=width, force_terminal=color, no_color=not color, color_system="standard"
                   if color else None, highlight=False, emoji=False, soft_wrap=False), buffer


def render_table(report: Report, diff: RunDiff | None = None, *, color: bool = False, width: int = 120) -> str:
    out, buffer = console(color, width)
    counts = severity_counts(report.findings)
    out.print(Text(terminal(f"Audit of tenant {report.tenant_id} as of {iso(report.as_of)}"), style="bold"))
    out.print(Text("  ".join(f"{s.value}: {n}" for s, n in counts.items()) + f"  (total {len(report.findings)})"))
    if diff is not None:
        out.print(Text(f"since the previous run: {len(diff.new)} new, {len(diff.resolved)} resolved, "
                       f"{len(diff.still_open)} still open"))
    accepted = sum(1 for g in report.gaps if g.acknowledged)
    out.print(Text(("coverage: complete" + (f" ({accepted} acknowledged unlisted)" if accepted else ""))
                   if report.complete else f"coverage: INCOMPLETE ({len(report.gaps)} gaps)"))
    for severity, findings in by_severity(report.findings):
        table = Table(title=Text(f"{severity.value.upper()} ({len(findings)})", style=STYLES[severity]),
                      title_justify="left", expand=False, show_lines=False)
        table.add_column("rule", no_wrap=True)
        table.add_column("subject", overflow="fold")
        table.add_column("finding", overflow="fold")
        if diff is not None:
            table.add_column("since", no_wrap=True)
        for finding in findings:
            row = [Text(terminal(finding.rule)), Text(terminal(finding.subject)),
                   Text(terminal(f"{finding.title}\n→ {finding.remediation}"))]
            if diff is not None:
                change = diff.status_of(finding.id)
                row.append(Text("new" if diff.is_new(finding.id) else
                                f"{iso(change.finding.first_seen)[:10]} ({change.age_days} d)" if change else ""))
            table.add_row(*row)
        out.print(table)
    if diff is not None and diff.resolved:
        resolved = Table(title=Text(f"RESOLVED since the previous run ({len(diff.resolved)})", style="green"),
                         title_justify="left")
        for column in ("rule", "subject", "first seen"):
            resolved.add_column(column, overflow="fold")
        for change in diff.resolved:
            resolved.add_row(Text(terminal(change.finding.rule)), Text(terminal(change.finding.subject)),
                             Text(iso(change.finding.first_seen)[:10]))
        out.print(resolved)
    if report.gaps:
        gaps = Table(title=Text("COVERAGE GAPS: not everything could be read", style="bold magenta"),
                     title_justify="left")
        for column in ("source", "target", "reason", "detail"):
            gaps.add_column(column, overflow="fold")
        for gap in report.gaps:
            gaps.add_row(Text(gap.source.value), Text(terminal(gap.target)), Text(gap.reason.value),
                         Text(terminal(gap.detail)))
        out.print(gaps)
    for warning in report.warnings:
        out.print(Text(terminal(f"warning: {warning}"), style="yellow"))
    if not report.findings:
        out.print(Text("No findings.", style="green"))
    return buffer.getvalue()
