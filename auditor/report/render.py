"""One entry point per kind of result: pick the renderer for a format."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from auditor.config import Config
from auditor.history.model import RunDiff
from auditor.model.certificate import Certificate
from auditor.model.common import Severity
from auditor.model.report import DecommissionResult, Report
from auditor.report.csv_report import render_csv
from auditor.report.decommission import decommission_json, decommission_markdown, decommission_table
from auditor.report.html import render_html
from auditor.report.json_report import render_json
from auditor.report.junit import render_junit
from auditor.report.markdown import render_markdown
from auditor.report.sarif import render_sarif
from auditor.report.table import render_table

FORMATS = ("table", "json", "markdown", "html", "csv", "sarif", "junit")
DECOMMISSION_FORMATS = ("table", "json", "markdown")


def render(report: Report, fmt: str, *, diff: RunDiff | None = None, config: Config | None = None,
           certificates: Sequence[Certificate] = (), fail_on: Severity | None = None, color: bool = False,
           retired: Sequence[DecommissionResult] = (), width: int = 120) -> str:
    """The report in one format. `diff` adds new/resolved/open; `fail_on` (else config's) sets JUnit failures;
    `certificates` widens the HTML expiry timeline beyond the findings; `color` and `width` are for a
    terminal; `retired` (`decommission check` of each retired domain) fills HTML's and Markdown's
    retired-domain view."""
    threshold = fail_on or (config.report.fail_on if config else Severity.HIGH)
    if fmt == "table":
        return render_table(report, diff, color=color, width=width)
    if fmt == "json":
        return render_json(report, diff)
    if fmt == "markdown":
        return render_markdown(report, diff, retired)
    if fmt == "html":
        return render_html(report, diff, certificates, retired)
    if fmt == "csv":
        return render_csv(report, diff)
    if fmt == "sarif":
        return render_sarif(report, _sarif_anchor(config))
    if fmt == "junit":
        return render_junit(report, threshold)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def _sarif_anchor(config: Config | None) -> str:
    """The config file, relative to the working directory (the repository root in a pipeline)."""
    if config is None or config.source is None:
        return "auditor.toml"
    try:
        return config.source.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return config.source.name


def render_decommission(result: DecommissionResult, fmt: str, *, color: bool = False, width: int = 120) -> str:
    if fmt == "table":
        return decommission_table(result, color=color, width=width)
    if fmt == "json":
        return decommission_json(result)
    if fmt == "markdown":
        return decommission_markdown(result)
    raise ValueError(f"decommission format must be one of {', '.join(DECOMMISSION_FORMATS)}, not {fmt!r}")
