"""The terminal view: summary, findings grouped by severity, coverage gaps. Plain text unless colour is
asked for; exactly as wide as the terminal it is given; host names and ids kept whole on a line where
they fit, and otherwise broken only after a dot or slash, never inside a label."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.history.model import RunDiff
from auditor.model.common import Severity
from auditor.model.finding import Finding
from auditor.model.report import Report, iso
from auditor.report.escape import terminal
from auditor.report.ordering import by_severity, severity_counts

STYLES = {Severity.CRITICAL: "bold red", Severity.HIGH: "red", Severity.MEDIUM: "yellow",
          Severity.LOW: "cyan", Severity.INFO: "dim"}

# Where a long name may break: after the dots of host names and the slashes of keys and ARM ids.
_NAME_BREAK = re.compile(r"(?<=[./])")
_PROSE_MIN = 20      # the finding or detail column keeps at least this much beside the names
_SINCE_WIDTH = 16    # "2025-09-03 (7 d)"


def console(color: bool, width: int) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=width, force_terminal=color, no_color=not color, color_system="standard"
                   if color else None, highlight=False, emoji=False, soft_wrap=False), buffer


def name_text(name: str, width: int) -> Text:
    """The name on one line when it fits, else broken only after a '.' or '/' (rich folds a single
    label only when it alone is wider than the column)."""
    value = terminal(name)
    if len(value) <= width:
        return Text(value)
    lines, line = [], ""
    for part in _NAME_BREAK.split(value):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
    lines.append(line)
    return Text("\n".join(lines))


def _borders(columns: int) -> int:
    return 3 * columns + 1   # "│ " before each column, " " after, and the closing "│"


def fixed_widths(fixed: Sequence[int], names: Sequence[str], total: int) -> tuple[int, int]:
    """(name column, prose column) widths beside `fixed` no-wrap columns, filling `total`."""
    used = sum(fixed) + _borders(len(fixed) + 2)
    longest = max((len(n) for n in names), default=8)
    # at most half the room, so a long ARM id does not squeeze the finding into a sliver
    name = max(8, min(longest, total - used - _PROSE_MIN, max(40, (total - used) // 2)))
    return name, max(_PROSE_MIN // 2, total - used - name)


def _findings_table(severity: Severity, rows: list[Finding], diff: RunDiff | None, width: int,
                    rule_width: int) -> Table:
    since = [_SINCE_WIDTH] if diff is not None else []
    subjects = [terminal(f.subject) for f in rows]
    subject_width, prose_width = fixed_widths([rule_width, *since], subjects, width)
    # A narrow terminal stacks the rule above the subject, so the host name keeps the room.
    stacked = subject_width < min(max(len(s) for s in subjects), 32)
    if stacked:
        used = sum(since) + _borders(2 + len(since))
        subject_width = max(8, min(max(rule_width, *map(len, subjects)), width - used - _PROSE_MIN))
        prose_width = max(_PROSE_MIN // 2, width - used - subject_width)
    table = Table(title=Text(f"{severity.value.upper()} ({len(rows)})", style=STYLES[severity]),
                  title_justify="left", expand=False, show_lines=False)
    if not stacked:
        table.add_column("rule", width=rule_width, no_wrap=True)
    table.add_column("rule / subject" if stacked else "subject", width=subject_width, overflow="fold")
    table.add_column("finding", width=prose_width, overflow="fold")
    if diff is not None:
        table.add_column("since", width=_SINCE_WIDTH, no_wrap=True)
    for finding in rows:
        rule = Text(terminal(finding.rule), style=STYLES[severity])
        subject = name_text(finding.subject, subject_width)
        row = [*([rule + Text("\n") + subject] if stacked else [rule, subject]),
               Text(terminal(f"{finding.title}\n→ {finding.remediation}"))]
        if diff is not None:
            change = diff.status_of(finding.id)
            row.append(Text("new" if diff.is_new(finding.id) else
                            f"{iso(change.finding.first_seen)[:10]} ({change.age_days} d)" if change else ""))
        table.add_row(*row)
    return table


def render_table(report: Report, diff: RunDiff | None = None, *, color: bool = False, width: int = 120) -> str:
    out, buffer = console(color, width)
    counts = severity_counts(report.findings)
    out.print(Text(terminal(f"Audit of tenant {report.tenant_id} as of {iso(report.as_of)}"), style="bold"))
    tally = Text()
    for severity, n in counts.items():
        tally.append(f"{severity.value}: {n}", style=STYLES[severity] if n else None)
        tally.append("  ")
    out.print(tally + Text(f"(total {len(report.findings)})"))
    if diff is not None:
        out.print(Text(f"since the previous run: {len(diff.new)} new, {len(diff.resolved)} resolved, "
                       f"{len(diff.still_open)} still open"))
    accepted = sum(1 for g in report.gaps if g.acknowledged)
    out.print(Text(("coverage: complete" + (f" ({accepted} acknowledged unlisted)" if accepted else ""))
                   if report.complete else f"coverage: INCOMPLETE ({len(report.gaps)} gaps)",
                   style="" if report.complete else "bold magenta"))
    rule_width = max((len(f.rule) for f in report.findings), default=0)   # one width: the tables align
    for severity, findings in by_severity(report.findings):
        out.print(_findings_table(severity, findings, diff, width, rule_width))
    if diff is not None and diff.resolved:
        resolved = Table(title=Text(f"RESOLVED since the previous run ({len(diff.resolved)})", style="green"),
                         title_justify="left")
        rule_width = max(len(c.finding.rule) for c in diff.resolved)
        subject_width, _ = fixed_widths([rule_width], [c.finding.subject for c in diff.resolved], width - 10)
        resolved.add_column("rule", width=rule_width, no_wrap=True)
        resolved.add_column("subject", width=subject_width, overflow="fold")
        resolved.add_column("first seen", width=10, no_wrap=True)
        for change in diff.resolved:
            resolved.add_row(Text(terminal(change.finding.rule)), name_text(change.finding.subject, subject_width),
                             Text(iso(change.finding.first_seen)[:10]))
        out.print(resolved)
    if report.gaps:
        gaps = Table(title=Text("COVERAGE GAPS: not everything could be read", style="bold magenta"),
                     title_justify="left")
        source_width = max(len(g.source.value) for g in report.gaps)
        reason_width = max(len(g.reason.value) for g in report.gaps)
        target_width, detail_width = fixed_widths([source_width, reason_width],
                                                   [terminal(g.target) for g in report.gaps], width)
        gaps.add_column("source", width=source_width, no_wrap=True)
        gaps.add_column("target", width=target_width, overflow="fold")
        gaps.add_column("reason", width=reason_width, no_wrap=True)
        gaps.add_column("detail", width=detail_width, overflow="fold")
        for gap in report.gaps:
            gaps.add_row(Text(gap.source.value), name_text(gap.target, target_width), Text(gap.reason.value),
                         Text(terminal(gap.detail)))
        out.print(gaps)
    for warning in report.warnings:
        out.print(Text(terminal(f"warning: {warning}"), style="yellow"))
    if not report.findings:
        out.print(Text("No findings.", style="green"))
    return buffer.getvalue()
