"""`auditor demo`: the audit on the bundled demo estate, with an HTML report and a summary."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated

import typer

from auditor.cli.options import Quiet
from auditor.cli.output import write_output
from auditor.cli.terminal import terminal_style
from auditor.core.environment import open_environment
from auditor.core.exit_codes import audit_exit_code


def demo(
    workdir: Annotated[Path, typer.Option("--dir", help="Where the demo estate and its report go.", metavar="DIR",
                                          file_okay=False)] = Path("auditor-demo"),
    quiet: Quiet = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in the summary (also: NO_COLOR).")] = False,
) -> None:
    """Build the bundled demo estate, audit it, write the HTML report and print a summary."""
    from auditor.core.pipeline import run_audit
    from auditor.estate.demo import build_demo
    from auditor.history import open_store
    from auditor.progress import Progress
    from auditor.report import render

    estate = build_demo(workdir / "estate")
    with open_environment(estate=estate, config_path=None, as_of=None) as env:
        with Progress(quiet=quiet) as progress:
            outcome = run_audit(env, progress=progress.update)
        cfg = dataclasses.replace(env.config, history=dataclasses.replace(
            env.config.history, path=str(workdir / "history.sqlite")))
        diff = open_store(cfg).record(outcome.report)
        report = dataclasses.replace(outcome.report, changes=diff.changes_json())
        html = render(report, "html", diff=diff, certificates=outcome.inventory.certificates, retired=outcome.retired,
                      fail_on=cfg.report.fail_on)
        color, width = terminal_style(None, no_color)
        summary = render(report, "table", diff=diff, fail_on=cfg.report.fail_on, color=color, width=width)
    target = workdir / "report.html"
    write_output(html, target, "html")
    sys.stdout.write(summary)
    sys.stdout.write(f"\nHTML report: {target.resolve()}\n")
    raise typer.Exit(audit_exit_code(report.findings, report.complete, cfg.report.fail_on))
