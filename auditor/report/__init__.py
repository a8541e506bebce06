"""Renderers: the report, the decommission checklist and the run history, one format per file."""

from auditor.report.history_view import HISTORY_FORMATS, render_diff, render_runs
from auditor.report.render import DECOMMISSION_FORMATS, FORMATS, render, render_decommission

__all__ = ["DECOMMISSION_FORMATS", "FORMATS", "HISTORY_FORMATS", "render", "render_decommission", "render_diff",
           "render_runs"]
