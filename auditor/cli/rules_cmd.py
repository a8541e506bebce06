"""`auditor rules`: every rule the audit runs, its default severity and what it checks."""

from __future__ import annotations

from typing import Annotated

from auditor.cli.choices import RULES_FORMATS, check_format
from auditor.cli.options import Output, format_option
from auditor.cli.output import write_output
from auditor.cli.terminal import terminal_style


def rules(
    fmt: Annotated[str, format_option(RULES_FORMATS)] = "table",
    output: Output = None,
) -> None:
    """Every rule: id, default severity and what it checks."""
    from auditor.report.rules_view import render_rules

    fmt = check_format(fmt, RULES_FORMATS, "rules")
    _, width = terminal_style(output, no_color=True)
    write_output(render_rules(fmt, width), output, fmt)
