"""The pre-decommission checklist (auditor-decommission/1) as table, JSON or Markdown."""

from __future__ import annotations

import json

from rich.table import Table
from rich.text import Text

from auditor.model.report import DecommissionResult
from auditor.report.escape import json_text, md, md_cell, terminal
from auditor.report.table import console


def verdict(result: DecommissionResult) -> str:
    if result.safe:
        return f"SAFE: nothing depends on {result.target}"
    if result.dependents:
        return f"NOT SAFE: {len(result.dependents)} dependent(s) remain on {result.target}"
    return f"UNKNOWN: no dependents found on {result.target}, but coverage is incomplete"


def decommission_json(result: DecommissionResult) -> str:
    return json_text(json.dumps(result.to_json(), indent=2, ensure_ascii=False)) + "\n"


def decommission_table(result: DecommissionResult, *, color: bool = False, width: int = 120) -> str:
    out, buffer = console(color, width)
    out.print(Text(terminal(verdict(result)), style="bold green" if result.safe else "bold red"))
    if result.dependents:
        table = Table(title=Text("Remove these first"), title_justify="left")
        traffic = _has_traffic(result)
        for column in ("kind", "host name", "resource", "where", *(("traffic",) if traffic else ()), "remove"):
            table.add_column(column, overflow="fold")
        for d in result.dependents:
            cells = (d.kind, d.hostname, d.resource_id, d.where, *((d.traffic,) if traffic else ()), d.remove)
            table.add_row(*(Text(terminal(v)) for v in cells))
        out.print(table)
    if result.gaps:
        gaps = Table(title=Text("Could not be read: the answer is not complete"), title_justify="left")
        for column in ("source", "target", "reason", "detail"):
            gaps.add_column(column, overflow="fold")
        for g in result.gaps:
            gaps.add_row(*(Text(terminal(v)) for v in (g.source.value, g.target, g.reason.value, g.detail)))
        out.print(gaps)
    return buffer.getvalue()


def decommission_markdown(result: DecommissionResult) -> str:
    lines = [f"# Decommission check: {md(result.target)}", "", f"**{md(verdict(result))}**", ""]
    if result.dependents:
        traffic = _has_traffic(result)
        head = "| done | kind | host name | resource | where |" + (" traffic |" if traffic else "") + " remove |"
        lines += ["## Remove these first", "", head, "|---" * head.count(" |") + "|"]
        lines += [f"| [ ] | {md_cell(d.kind)} | {md_cell(d.hostname)} | {md_cell(d.resource_id)} | "
                  f"{md_cell(d.where)} | " + (f"{md_cell(d.traffic or 'unknown')} | " if traffic else "")
                  + f"{md_cell(d.remove)} |" for d in result.dependents]
        lines.append("")
    if result.gaps:
        lines += ["## Could not be read", "", "| source | target | reason | detail |", "|---|---|---|---|"]
        lines += [f"| {md_cell(g.source.value)} | {md_cell(g.target)} | {md_cell(g.reason.value)} | "
                  f"{md_cell(g.detail)} |" for g in result.gaps]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _has_traffic(result: DecommissionResult) -> bool:
    """The traffic column appears when the logs said something about at least one dependent."""
    return any(d.traffic for d in result.dependents)
