"""`auditor audit`: collect, analyse, report, record the run in history."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from auditor.cli.choices import AUDIT_FORMATS, check_format, parse_fail_on
from auditor.cli.options import AsOf, ConfigPath, Estate, FailOn, Output, Quiet
from auditor.cli.output import check_output, write_output
from auditor.core.environment import open_environment
from auditor.core.exit_codes import audit_exit_code


def audit(
    estate: Estate = None,
    config: ConfigPath = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table|json|markdown|html|csv|sarif|junit")] = "table",
    output: Output = None,
    as_of: AsOf = None,
    fail_on: FailOn = None,
    quiet: Quiet = False,
    rule: Annotated[list[str] | None, typer.Option("--rule", help="Run only these rule ids.")] = None,
    history: Annotated[Path | None, typer.Option("--history", help="History database (default from config).",
                                                 dir_okay=False)] = None,
    no_history: Annotated[bool, typer.Option("--no-history", help="Do not record this run.")] = False,
) -> None:
    """The weekly audit: collect, analyse, report, record the run in history."""
    raise typer.Exit(run_audit_command(estate=estate, config=config, fmt=fmt, output=output, as_of=as_of,
                                       fail_on=fail_on, quiet=quiet, rules=rule, history=history,
                                       no_history=no_history))


def run_audit_command(*, estate: Path | None, config: Path | None, fmt: str, output: Path | None,
                      as_of: str | None, fail_on: str | None, quiet: bool, rules: list[str] | None,
                      history: Path | None, no_history: bool) -> int:
    fmt = check_format(fmt, AUDIT_FORMATS, "audit")
    check_output(output, fmt)   # before collecting: never a long run that cannot be written
    from auditor.core.pipeline import run_audit
    from auditor.progress import Progress
    from auditor.report import render
    with open_environment(estate=estate, config_path=config, as_of=as_of) as env:
        threshold = parse_fail_on(fail_on, env.config.report.fail_on)
        if rules:
            _check_rules(rules)
        with Progress(quiet=quiet) as progress:
            outcome = run_audit(env, rules=rules or None, progress=progress.update)
        report, diff, store = outcome.report, None, None
        cfg = env.config
        if history is not None:
            cfg = dataclasses.replace(cfg, history=dataclasses.replace(cfg.history, path=str(history)))
        if cfg.history.enabled and not no_history:
            from auditor.history import open_store

            # What changed is shown in this report; the run is recorded only once the
            # report is written, so a report that could not be written leaves no history.
            store = open_store(cfg)
            diff = store.preview(outcome.report)
            report = dataclasses.replace(report, changes=diff.changes_json())
        if cfg.notify.webhooks:
            from auditor.notify import send_sync

            warnings = send_sync(report, diff, cfg)
            report = dataclasses.replace(report, warnings=report.warnings + tuple(warnings))
        text = render(report, fmt, diff=diff, certificates=outcome.inventory.certificates,
                      fail_on=threshold)
    write_output(text, output, fmt)
    if store is not None:
        assert diff is not None
        store.record(outcome.report, diff.later.run_id)
    return audit_exit_code(report.findings, report.complete, threshold)


def _check_rules(rules: list[str]) -> None:
    from auditor.errors import AuditorError
    from auditor.rules.registry import CONTRACT_RULE_IDS

    unknown = [r for r in rules if r not in CONTRACT_RULE_IDS]
    if unknown:
        raise AuditorError(f"unknown rule {unknown[0]!r}; known rules: {', '.join(CONTRACT_RULE_IDS)}")
