"""One self-contained HTML file: no script, no external asset, a strict CSP, and every estate
string passed through html.escape."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from importlib.resources import files
from string import Template

from auditor.history.model import FindingChange, RunDiff
from auditor.model.certificate import Certificate
from auditor.model.finding import Finding
from auditor.model.report import Report, iso
from auditor.report.html_timeline import timeline_svg
from auditor.report.ordering import by_severity, severity_counts
from auditor.report.retired_view import RetiredDomain, retired_domains
from auditor.report.timeline import expiries

TIMELINE_DAYS = 90


def e(value: object) -> str:
    return escape(str(value), quote=True)


def render_html(report: Report, diff: RunDiff | None = None, certificates: Sequence[Certificate] = ()) -> str:
    here = files("auditor.report")
    page = Template(here.joinpath("report_page.html").read_text(encoding="utf-8"))
    sections = [_summary(report, diff)]
    if diff is not None:
        sections.append(_changes(diff))
    sections.append(_findings(report, diff))
    sections.append(_timeline(report, certificates))
    sections += [_retired(r) for r in retired_domains(report.findings)]
    sections.append(_coverage(report))
    if report.warnings:
        sections.append("<section id=\"warnings\"><h2>Warnings</h2><ul>"
                        + "".join(f"<li>{e(w)}</li>" for w in report.warnings) + "</ul></section>")
    return page.substitute(
        title=e(f"Certificate and domain audit: {report.tenant_id}"),
        meta=e(f"as of {iso(report.as_of)} · subscriptions: {', '.join(report.subscriptions) or 'none'}"),
        css=here.joinpath("report.css").read_text(encoding="utf-8"),
        body="\n".join(sections),
        generated=e(iso(report.finished)),
    )


def _summary(report: Report, diff: RunDiff | None) -> str:
    tiles = "".join(f'<div class="tile sev-{s.value}"><b>{n}</b>{s.value}</div>'
                    for s, n in severity_counts(report.findings).items())
    coverage = ('<p class="ok">Coverage: complete, everything in scope was read.</p>' if report.complete else
                f'<p class="warn">Coverage: incomplete, {len(report.gaps)} source(s) could not be read '
                '(see Coverage).</p>')
    changes = ("" if diff is None else
               f"<p>Since the previous run: <span class=\"badge new\">{len(diff.new)} new</span> "
               f"<span class=\"badge resolved\">{len(diff.resolved)} resolved</span> "
               f"<span class=\"badge open\">{len(diff.still_open)} still open</span></p>")
    inventory = ", ".join(f"{e(k.replace('_', ' '))}: {int(v)}" for k, v in report.counts.items())
    return (f'<section id="summary"><h2>Summary</h2><div class="tiles">{tiles}</div>{coverage}{changes}'
            f"<p>Inventory: {inventory or 'none'}</p></section>")


def _change_rows(changes: Sequence[FindingChange], status: str) -> str:
    return "".join(
        f'<tr><td><span class="badge {status}">{status}</span></td><td>{e(c.finding.severity.value)}</td>'
        f"<td>{e(c.finding.rule)}</td><td>{e(c.finding.subject)}</td><td>{e(c.finding.title)}</td>"
        f"<td>{e(iso(c.finding.first_seen)[:10])}</td><td>{c.age_days} d</td></tr>" for c in changes)


def _changes(diff: RunDiff) -> str:
    earlier = f"run {e(diff.earlier.run_id)} of {e(iso(diff.earlier.as_of))}" if diff.earlier else "no previous run"
    rows = (_change_rows(diff.new, "new") + _change_rows(diff.resolved, "resolved")
            + _change_rows(diff.still_open, "open"))
    return (f'<section id="changes"><h2>Changes since the previous run</h2><p class="meta">Compared with {earlier}.'
            "</p><table><thead><tr><th>status</th><th>severity</th><th>rule</th><th>subject</th><th>finding</th>"
            f"<th>first seen</th><th>age</th></tr></thead><tbody>{rows}</tbody></table></section>")


def _evidence(finding: Finding) -> str:
    items = "".join(f"<dt>{e(k)}</dt><dd><code>{e(v if isinstance(v, str) else json.dumps(v, default=str))}"
                    "</code></dd>" for k, v in sorted(finding.evidence.items()))
    return items


def _finding(finding: Finding, diff: RunDiff | None) -> str:
    badge = ""
    if diff is not None:
        change = diff.status_of(finding.id)
        badge = ('<span class="badge new">new</span> ' if diff.is_new(finding.id) else
                 f'<span class="badge open">open since {e(iso(change.finding.first_seen)[:10])}, '
                 f"{change.age_days} d</span> " if change else "")
    return (f'<article class="finding {finding.severity.value}" id="f-{e(finding.id)}">'
            f"<h4>{badge}{e(finding.title)}</h4>"
            f'<p class="remedy"><b>Remediation:</b> {e(finding.remediation)}</p>'
            f"<dl><dt>rule</dt><dd>{e(finding.rule)}</dd><dt>subject</dt><dd>{e(finding.subject)}</dd>"
            f"<dt>resource</dt><dd><code>{e(finding.resource_id)}</code></dd>{_evidence(finding)}"
            f"<dt>id</dt><dd><code>{e(finding.id)}</code></dd></dl></article>")


def _findings(report: Report, diff: RunDiff | None) -> str:
    if not report.findings:
        return '<section id="findings"><h2>Findings</h2><p class="ok">No findings.</p></section>'
    groups = "".join(f'<h3 id="sev-{s.value}">{e(s.value.capitalize())} ({len(fs)})</h3>'
                     + "".join(_finding(f, diff) for f in fs) for s, fs in by_severity(report.findings))
    return f'<section id="findings"><h2>Findings by severity</h2>{groups}</section>'


def _timeline(report: Report, certificates: Sequence[Certificate]) -> str:
    items, past = expiries(report.findings, certificates, report.as_of, TIMELINE_DAYS)
    note = f"<p class=\"warn\">{past} certificate(s) already expired.</p>" if past else ""
    more = f"<p class=\"meta\">Showing 60 of {len(items)}.</p>" if len(items) > 60 else ""
    return (f'<section id="timeline"><h2>Certificate expiries, next {TIMELINE_DAYS} days</h2>{note}'
            f"{timeline_svg(items, report.as_of, TIMELINE_DAYS)}{more}</section>")


def _retired(retired: RetiredDomain) -> str:
    hosts: dict[str, list[str]] = {}
    for edge in retired.dependents:
        where = f" <code>{e(edge.where)}</code>" if edge.where else ""
        hosts.setdefault(edge.hostname, []).append(
            f'<li><span class="kind">{e(edge.kind)}</span> <code>{e(edge.resource_id)}</code>{where}</li>')
    tree = "".join(f"<li><b>{e(host)}</b><ul>{''.join(items)}</ul></li>" for host, items in hosts.items())
    return (f'<section class="retired"><h2>Retired domain {e(retired.domain)}: still used by '
            f"{len(retired.dependents)} dependent(s)</h2><ul class=\"tree\"><li><b>{e(retired.domain)}</b>"
            f"<ul>{tree}</ul></li></ul></section>")


def _coverage(report: Report) -> str:
    if not report.gaps:
        return '<section id="coverage"><h2>Coverage</h2><p class="ok">Everything in scope was read.</p></section>'
    rows = "".join(f"<tr><td>{e(g.source.value)}</td><td>{e(g.target)}</td>"
                   f"<td>{e(g.reason.value + (' (acknowledged)' if g.acknowledged else ''))}</td>"
                   f"<td>{e(g.detail)}</td></tr>" for g in report.gaps)
    intro = ('<p class="ok">Everything in scope was read, except what config acknowledges as unlisted:</p>'
             if report.complete else
             '<p class="warn">Not everything in scope could be read; findings may be missing for these:</p>')
    return ('<section id="coverage"><h2>Coverage</h2>' + intro + "<table><thead><tr><th>source</th><th>target</th><th>reason</th>"
            f"<th>detail</th></tr></thead><tbody>{rows}</tbody></table></section>")
