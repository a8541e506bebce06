"""`auditor decommission check TARGET`: every dependent of a domain, host name or certificate."""

from __future__ import annotations

from typing import Annotated

import typer

from auditor.cli.choices import DECOMMISSION_FORMATS, check_format
from auditor.cli.options import AsOf, ConfigPath, Estate, Output, Quiet
from auditor.cli.output import check_output, write_output
from auditor.core.environment import open_environment
from auditor.core.exit_codes import decommission_exit_code

app = typer.Typer(help="Before retiring a domain or certificate.", no_args_is_help=True)


@app.command("check")
def check(
    target: Annotated[str, typer.Argument(help="A domain, a host name, or a certificate (Key Vault id or vault/name).")],
    estate: Estate = None,
    config: ConfigPath = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table|json|markdown")] = "table",
    output: Output = None,
    as_of: AsOf = None,
    quiet: Quiet = False,
) -> None:
    """Pre-decommission checklist: every dependent, or an honest "I could not see everything"."""
    fmt = check_format(fmt, DECOMMISSION_FORMATS, "decommission check")
    check_output(output, fmt)   # before collecting: never a long run that cannot be written
    from auditor.core.pipeline import run_decommission
    from auditor.progress import Progress
    from auditor.report import render_decommission
    cleaned = target.strip()
    if not cleaned:
        from auditor.errors import AuditorError

        raise AuditorError("decommission check needs a non-empty TARGET")
    with open_environment(estate=estate, config_path=config, as_of=as_of) as env, \
            Progress(quiet=quiet) as progress:
        result = run_decommission(env, cleaned, progress=progress.update)
    write_output(render_decommission(result, fmt), output, fmt)
    raise typer.Exit(decommission_exit_code(bool(result.dependents), result.complete))
