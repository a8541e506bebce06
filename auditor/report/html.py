"""One self-contained HTML file, the page a platform engineer opens first: on top what breaks first,
then every finding once, grouped by urgency, the sortable expiry timeline, the retired domains'
dependents and the coverage, linked to each other in-page. No external resource; the one script
(sorting) and the style block are allowed by their hashes in a strict CSP; every estate string
passes through html.escape (remediation Markdown is rendered only after escaping)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from importlib.resources import files
from string import Template

from auditor.history.model import FindingChange, RunDiff
from auditor.model.certificate import Certificate
from auditor.model.common import Severity
from auditor.model.finding import Finding
from auditor.model.report import DecommissionResult, Report, iso
from auditor.report.html_markdown import inline_markdown
from auditor.report.html_script import SORT_SCRIPT, csp_hash
from auditor.report.html_timeline import timeline_svg
from auditor.report.ordering import by_severity, severity_counts
from auditor.report.retired_view import RetiredDomain, retired_domains, short_name
from auditor.report.timeline import Expiry, expiries

TIMELINE_DAYS = 90
SOONEST = 5   # dated findings the summary lists first
URGENCY = {Severity.CRITICAL: "act now", Severity.HIGH: "this week", Severity.MEDIUM: "this month",
           Severity.LOW: "when convenient", Severity.INFO: "for information"}


def e(value: object) -> str:
    return escape(str(value), quote=True)


def render_html(report: Report, diff: RunDiff | None = None, certificates: Sequence[Certificate] = (),
                retired: Sequence[DecommissionResult] = ()) -> str:
    here = files("auditor.report")
    page = Template(here.joinpath("report_page.html").read_text(encoding="utf-8"))
    css = here.joinpath("report.css").read_text(encoding="utf-8")
    views = retired_domains(retired)
    items, past = expiries(report.findings, certificates, report.as_of, TIMELINE_DAYS)
    # What breaks first, then when and what depends on the retired names, then every finding.
    sections = [_summary(report, diff, views), _timeline(report, items, past), _retired(views),
                _findings(report, diff), _coverage(report)]
    if diff is not None:
        sections.append(_changes(diff))
    if report.warnings:
        sections.append('<section id="warnings"><h2>Warnings</h2><ul>'
                        + "".join(f"<li>{e(w)}</li>" for w in report.warnings) + "</ul></section>")
    return page.substitute(
        title=e(f"Certificate and domain audit: {report.tenant_id}"),
        meta=e(f"as of {iso(report.as_of)} · subscriptions: {', '.join(report.subscriptions) or 'none'}"),
        nav=_nav(report, diff, views),
        css=css, style_hash=csp_hash(css),
        script=SORT_SCRIPT, script_hash=csp_hash(SORT_SCRIPT),
        body="\n".join(s for s in sections if s),
        generated=e(iso(report.finished)),
    )


def _nav(report: Report, diff: RunDiff | None, views: list[RetiredDomain]) -> str:
    links = [("summary", "Summary"), ("findings", f"Findings ({len(report.findings)})"),
             ("timeline", "Expiries")]
    if views:
        links.append(("retired", f"Retired ({len(views)})"))
    links.append(("coverage", "Coverage" if report.complete else f"Coverage ({len(report.gaps)} gaps)"))
    if diff is not None:
        links.append(("changes", "Changes"))
    return "".join(f'<a href="#{anchor}">{e(text)}</a>' for anchor, text in links)


def short_subject(subject: str) -> str:
    """A readable subject: an ARM id by its resource's name; host names and vault/name as they are."""
    return short_name(subject) if subject.startswith("/") else subject


def _date(finding: Finding) -> datetime | None:
    value = finding.evidence.get("not_after")
    if not isinstance(value, str) or not value:
        return None
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def _days(when: datetime, as_of: datetime) -> int:
    clock = as_of.replace(tzinfo=UTC) if as_of.tzinfo is None else as_of
    return int((when - clock).total_seconds() // 86400)


def _when(when: datetime, as_of: datetime) -> str:
    days = _days(when, as_of)
    return (f"expired {iso(when)[:10]} ({-days} d ago)" if days < 0 else f"expires {iso(when)[:10]} (in {days} d)")


def _summary(report: Report, diff: RunDiff | None, views: list[RetiredDomain]) -> str:
    tiles = "".join(f'<a class="tile sev-{s.value}" href="#sev-{s.value}"><b>{n}</b>{s.value}</a>' if n else
                    f'<span class="tile sev-{s.value} none"><b>0</b>{s.value}</span>'
                    for s, n in severity_counts(report.findings).items())
    dated: dict[str, list[tuple[datetime, Finding]]] = {}   # one line per subject, with all its rules
    for d, f in sorted(((d, f) for f in report.findings if (d := _date(f)) is not None),
                       key=lambda p: (p[0], -p[1].severity.rank)):
        dated.setdefault(f.subject.lower(), []).append((d, f))
    soonest = "".join(
        f'<li><a href="#f-{e(fs[0][1].id)}"><span class="when">{e(_when(fs[0][0], report.as_of))}</span> '
        f'<b>{e(short_subject(fs[0][1].subject))}</b></a> '
        + " ".join(f'<span class="rule">{e(r)}</span>' for r in dict.fromkeys(f.rule for _, f in fs)) + "</li>"
        for fs in list(dated.values())[:SOONEST])
    parts = [f'<section id="summary"><h2>What breaks first</h2><div class="tiles">{tiles}</div>']
    if soonest:
        parts.append(f'<h3>Soonest dates</h3><ol class="soonest">{soonest}</ol>')
    if views:
        used = "".join(
            f'<li><a href="#{e(v.anchor)}"><b>{e(v.domain)}</b></a> still used by {len(v.dependents)} '
            f"dependent(s){'' if v.complete else ' (coverage incomplete: maybe more)'}</li>" for v in views)
        parts.append(f'<h3>Retired, still in use</h3><ul class="plain">{used}</ul>')
    parts.append('<p class="ok">Coverage: complete, everything in scope was read.</p>' if report.complete else
                 f'<p class="warn">Coverage: incomplete, {len(report.gaps)} source(s) could not be read '
                 '(see <a href="#coverage">Coverage</a>).</p>')
    if diff is not None:
        parts.append(f'<p>Since the previous run: <span class="badge new">{len(diff.new)} new</span> '
                     f'<a class="badge resolved" href="#changes">{len(diff.resolved)} resolved</a> '
                     f'<span class="badge open">{len(diff.still_open)} still open</span></p>')
    inventory = ", ".join(f"{e(k.replace('_', ' '))}: {int(v)}" for k, v in report.counts.items())
    parts.append(f'<p class="meta">Inventory: {inventory or "none"}</p></section>')
    return "".join(parts)


def _value(value: object) -> str:
    return e(value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False))


def _resource(resource_id: str) -> str:
    """A short readable name, with the full ARM id one click away."""
    if not resource_id:
        return ""
    if not resource_id.startswith("/"):
        return f'<code class="rid">{e(resource_id)}</code>'
    return (f'<details class="rid"><summary>{e(short_name(resource_id))}</summary>'
            f'<code class="rid">{e(resource_id)}</code></details>')


def _badge(finding: Finding, diff: RunDiff | None) -> str:
    if diff is None:
        return ""
    if diff.is_new(finding.id):
        return ' <span class="badge new">new</span>'
    change = diff.status_of(finding.id)
    return (f' <span class="badge open">open since {e(iso(change.finding.first_seen)[:10])}, '
            f"{change.age_days} d</span>" if change else "")


def _finding(finding: Finding, diff: RunDiff | None, as_of: datetime) -> str:
    date = _date(finding)
    when = f' <span class="when">{e(_when(date, as_of))}</span>' if date else ""
    evidence = "".join(f"<dt>{e(k)}</dt><dd><code>{_value(v)}</code></dd>" for k, v in sorted(finding.evidence.items()))
    return (f'<details class="finding {finding.severity.value}" id="f-{e(finding.id)}">'
            f'<summary><span class="rule">{e(finding.rule)}</span> '
            f'<b class="subject" title="{e(finding.subject)}">{e(short_subject(finding.subject))}</b>'
            f'{when}{_badge(finding, diff)}<span class="title">{inline_markdown(finding.title)}</span></summary>'
            f'<div class="body"><p class="remedy"><b>What to do:</b> {inline_markdown(finding.remediation)}</p>'
            f"<dl><dt>subject</dt><dd><code>{e(finding.subject)}</code></dd>"
            f"<dt>resource</dt><dd>{_resource(finding.resource_id)}</dd>{evidence}"
            f'<dt>finding id</dt><dd><code class="fid">{e(finding.id)}</code></dd></dl></div></details>')


def _findings(report: Report, diff: RunDiff | None) -> str:
    if not report.findings:
        return '<section id="findings"><h2>Findings</h2><p class="ok">No findings.</p></section>'
    groups = "".join(
        f'<h3 id="sev-{s.value}" class="group {s.value}">{e(s.value.capitalize())}: {URGENCY[s]} ({len(fs)})</h3>'
        + "".join(_finding(f, diff, report.as_of) for f in fs) for s, fs in by_severity(report.findings))
    return (f'<section id="findings"><h2>Findings ({len(report.findings)})</h2><p class="meta">Grouped by '
            "urgency, most urgent first. Open one for what to do, its evidence and the full ids.</p>"
            f"{groups}</section>")


def _timeline_row(item: Expiry, links: dict[str, str]) -> str:
    label = e(short_subject(item.label))
    target = links.get(item.key or item.label.lower())
    name = f'<a href="#f-{e(target)}">{label}</a>' if target else label
    severity = item.severity.value if item.severity else ""
    rank = item.severity.rank if item.severity else 0
    return (f'<tr><td data-key="{e(item.label.lower())}">{name}</td>'
            f'<td data-key="{item.not_after.timestamp():.0f}">{e(iso(item.not_after)[:10])}</td>'
            f'<td data-key="{item.days_left:.1f}">{item.days_left:.0f}</td>'
            f'<td data-key="{rank}">{e(severity)}</td></tr>')


def _timeline(report: Report, items: list[Expiry], past: int) -> str:
    note = (f'<p class="warn">{past} certificate(s) already expired: see '
            '<a href="#sev-critical">Critical</a>.</p>' if past else "")
    if not items:
        return (f'<section id="timeline"><h2>Certificate expiries, next {TIMELINE_DAYS} days</h2>{note}'
                f'<p class="ok">No certificate expires in the next {TIMELINE_DAYS} days.</p></section>')
    links: dict[str, str] = {}   # the most severe finding about each dated subject (findings come worst first)
    for f in sorted(report.findings, key=lambda f: -f.severity.rank):
        if _date(f) is not None:
            links.setdefault(f.subject.lower(), f.id)
    head = "".join(f'<th data-type="{kind}"{sort}><button type="button">{e(name)}</button></th>'
                   for name, kind, sort in (("certificate", "text", ""), ("expires", "number", ' aria-sort="ascending"'),
                                            ("days left", "number", ""), ("severity", "number", "")))
    rows = "".join(_timeline_row(item, links) for item in items)
    return (f'<section id="timeline"><h2>Certificate expiries, next {TIMELINE_DAYS} days ({len(items)})</h2>{note}'
            f'<div class="scroll">{timeline_svg(items, report.as_of, TIMELINE_DAYS)}</div>'
            '<p class="meta">Click a column heading to sort.</p>'
            f'<div class="scroll"><table class="sortable" id="expiries"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div></section>")


def _retired_section(retired: RetiredDomain) -> str:
    unseen = "" if retired.complete else ' <span class="warn">coverage incomplete: there may be more</span>'
    heading = (f'<h2>Retired {e(retired.domain)}: <span class="count">still used by {len(retired.dependents)} '
               f"dependent(s)</span>{unseen}</h2>")
    if not retired.dependents:
        return (f'<section class="retired" id="{e(retired.anchor)}">{heading}'
                '<p class="ok">Nothing depends on it.</p></section>')
    traffic = any(d.traffic for d in retired.dependents)   # the logs said something about one
    rows = "".join(
        f'<tr class="dependent"><td data-label="dependent"><span class="kind">{e(d.kind)}</span></td>'
        f'<td data-label="host name" class="host">{e(d.hostname)}</td>'
        f'<td data-label="resource">{_resource(d.resource_id)}</td><td data-label="where"><code>{e(d.where)}</code></td>'
        + (f'<td data-label="traffic">{e(d.traffic or "unknown")}</td>' if traffic else "")
        + f'<td data-label="remove">{inline_markdown(d.remove)}</td></tr>' for d in retired.dependents)
    return (f'<section class="retired" id="{e(retired.anchor)}">{heading}<p class="meta">As '
            f"<code>auditor decommission check {e(retired.domain)}</code> lists them.</p><div class=\"scroll\">"
            '<table class="cards"><thead><tr><th>dependent</th><th>host name</th><th>resource</th><th>where</th>'
            + ("<th>traffic</th>" if traffic else "") + "<th>remove</th>"
            f"</tr></thead><tbody>{rows}</tbody></table></div></section>")


def _retired(views: list[RetiredDomain]) -> str:
    if not views:
        return ""
    return '<div id="retired">' + "".join(_retired_section(v) for v in views) + "</div>"


def _coverage(report: Report) -> str:
    if not report.gaps:
        return '<section id="coverage"><h2>Coverage</h2><p class="ok">Everything in scope was read.</p></section>'
    rows = "".join(f'<tr><td data-label="source">{e(g.source.value)}</td><td data-label="target"><code>{e(g.target)}'
                   f'</code></td><td data-label="reason">{e(g.reason.value + (" (acknowledged)" if g.acknowledged else ""))}'
                   f'</td><td data-label="detail">{e(g.detail)}</td></tr>' for g in report.gaps)
    intro = ('<p class="ok">Everything in scope was read, except what config acknowledges as unlisted:</p>'
             if report.complete else
             '<p class="warn">Not everything in scope could be read; findings may be missing for these:</p>')
    return ('<section id="coverage"><h2>Coverage</h2>' + intro + '<div class="scroll"><table class="cards"><thead><tr>'
            f"<th>source</th><th>target</th><th>reason</th><th>detail</th></tr></thead><tbody>{rows}</tbody></table></div>"
            "</section>")


def _resolved_rows(changes: Sequence[FindingChange]) -> str:
    return "".join(
        f'<tr><td>{e(c.finding.severity.value)}</td><td class="rule">{e(c.finding.rule)}</td>'
        f"<td>{e(short_subject(c.finding.subject))}</td><td>{inline_markdown(c.finding.title)}</td>"
        f"<td>{e(iso(c.finding.first_seen)[:10])}</td><td>{c.age_days} d</td></tr>" for c in changes)


def _changes(diff: RunDiff) -> str:
    """Counts, and the resolved findings (no longer in the findings above); new and still-open ones
    carry their badge in the findings, so no finding is listed twice."""
    earlier = f"run {e(diff.earlier.run_id)} of {e(iso(diff.earlier.as_of))}" if diff.earlier else "no previous run"
    table = ("<p>Nothing was resolved.</p>" if not diff.resolved else
             '<div class="scroll"><table><thead><tr><th>severity</th><th>rule</th><th>subject</th><th>finding</th>'
             f"<th>first seen</th><th>open for</th></tr></thead><tbody>{_resolved_rows(diff.resolved)}</tbody>"
             "</table></div>")
    return (f'<section id="changes"><h2>Changes since the previous run</h2><p class="meta">Compared with {earlier}: '
            f'<span class="badge new">{len(diff.new)} new</span> <span class="badge resolved">{len(diff.resolved)} '
            f'resolved</span> <span class="badge open">{len(diff.still_open)} still open</span> (new and open ones '
            f"are marked in the findings).</p><h3>Resolved ({len(diff.resolved)})</h3>{table}</section>")
