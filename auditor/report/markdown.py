"""Markdown for wikis and pull requests: summary, findings by severity, changes, coverage, and a
Mermaid diagram of each retired domain's dependents. Every estate string is escaped."""

from __future__ import annotations

from auditor.history.model import RunDiff
from auditor.model.report import Report, iso
from auditor.report.escape import md, md_cell, mermaid_label
from auditor.report.ordering import by_severity, severity_counts
from auditor.report.retired_view import RetiredDomain, retired_domains, short_name


def render_markdown(report: Report, diff: RunDiff | None = None) -> str:
    lines = [f"# Certificate and domain audit: {md(report.tenant_id)}", ""]
    lines += _summary(report, diff)
    for severity, findings in by_severity(report.findings):
        lines += [f"## {severity.value.capitalize()} ({len(findings)})", ""]
        lines += ["| rule | subject | finding | remediation | resource |" + (" since |" if diff else ""),
                  "|---|---|---|---|---|" + ("---|" if diff else "")]
        for f in findings:
            row = f"| {md_cell(f.rule)} | {md_cell(f.subject)} | {md_cell(f.title)} | {md_cell(f.remediation)} | " \
                  f"{md_cell(f.resource_id)} |"
            if diff:
                change = diff.status_of(f.id)
                since = "**new**" if diff.is_new(f.id) else (
                    f"{iso(change.finding.first_seen)[:10]} ({change.age_days} d)" if change else "")
                row += f" {since} |"
            lines.append(row)
        lines.append("")
    if diff is not None and diff.resolved:
        lines += [f"## Resolved since the previous run ({len(diff.resolved)})", "",
                  "| rule | subject | first seen | open for |", "|---|---|---|---|"]
        lines += [f"| {md_cell(c.finding.rule)} | {md_cell(c.finding.subject)} | "
                  f"{iso(c.finding.first_seen)[:10]} | {c.age_days} d |" for c in diff.resolved]
        lines.append("")
    for retired in retired_domains(report.findings):
        lines += _retired(retired)
    lines += _coverage(report)
    if report.warnings:
        lines += ["## Warnings", ""] + [f"- {md(w)}" for w in report.warnings] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _summary(report: Report, diff: RunDiff | None) -> list[str]:
    counts = severity_counts(report.findings)
    lines = [f"- As of: {iso(report.as_of)}",
             f"- Subscriptions: {', '.join(md(s) for s in report.subscriptions) or 'none'}",
             f"- Findings: {len(report.findings)} ("
             + ", ".join(f"{n} {s.value}" for s, n in counts.items()) + ")",
             "- Coverage: " + ("complete" if report.complete else f"**incomplete**, {len(report.gaps)} gap(s)"),
             "- Inventory: " + ", ".join(f"{md(k)} {v}" for k, v in report.counts.items())]
    if diff is not None:
        lines.append(f"- Since the previous run: {len(diff.new)} new, {len(diff.resolved)} resolved, "
                     f"{len(diff.still_open)} still open")
    if not report.findings:
        lines.append("- No findings.")
    return [*lines, ""]


def _retired(retired: RetiredDomain) -> list[str]:
    lines = [f"## Retired domain {md(retired.domain)}: {len(retired.dependents)} dependent(s)", "",
             "```mermaid", "graph LR", f'  d0["{mermaid_label(retired.domain)}"]']
    hosts: dict[str, str] = {}
    for i, edge in enumerate(retired.dependents):
        if edge.hostname not in hosts:
            hosts[edge.hostname] = f"h{len(hosts)}"
            lines.append(f'  {hosts[edge.hostname]}["{mermaid_label(edge.hostname)}"] --> d0')
        label = f"{mermaid_label(edge.kind)}: {mermaid_label(short_name(edge.resource_id))}"
        lines.append(f'  r{i}["{label}"] --> {hosts[edge.hostname]}')
    lines += ["```", "", "| dependent | host name | resource | where |", "|---|---|---|---|"]
    lines += [f"| {md_cell(e.kind)} | {md_cell(e.hostname)} | {md_cell(e.resource_id)} | {md_cell(e.where)} |"
              for e in retired.dependents]
    return [*lines, ""]


def _coverage(report: Report) -> list[str]:
    if not report.gaps:
        return ["## Coverage", "", "Everything in scope was read.", ""]
    intro = ("Everything in scope was read, except what config acknowledges as unlisted:" if report.complete
             else "Not everything in scope could be read; findings may be missing for:")
    lines = ["## Coverage", "", intro, "", "| source | target | reason | detail |", "|---|---|---|---|"]
    lines += [f"| {md_cell(g.source.value)} | {md_cell(g.target)} | "
              f"{md_cell(g.reason.value + (' (acknowledged)' if g.acknowledged else ''))} | {md_cell(g.detail)} |"
              for g in report.gaps]
    return [*lines, ""]
