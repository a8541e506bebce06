"""`auditor decommission check TARGET`: every dependent of a domain, host name or certificate."""

from __future__ import annotations

from typing import Annotated

import typer

from auditor.cli.choices import DECOMMISSION_FORMATS, check_format, parse_subscriptions
from auditor.cli.options import AsOf, ConfigPath, Estate, Output, Quiet, Subscriptions, format_option
from auditor.cli.output import check_output, write_output
from auditor.cli.terminal import terminal_style
from auditor.core.environment import open_environment
from auditor.core.exit_codes import decommission_exit_code

app = typer.Typer(help="Before retiring a domain or certificate.", no_args_is_help=True, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]})


@app.command("check")
def check(
    target: Annotated[str, typer.Argument(help="A domain, a host name, or a certificate (Key Vault id or vault/name).",
                                        metavar="TARGET")],
    estate: Estate = None,
    config: ConfigPath = None,
    fmt: Annotated[str, format_option(DECOMMISSION_FORMATS)] = "table",
    output: Output = None,
    as_of: AsOf = None,
    quiet: Quiet = False,
    subscription: Subscriptions = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in the table (also: NO_COLOR).")] = False,
) -> None:
    """Pre-decommission checklist: every dependent, or an honest "I could not see everything"."""
    fmt = check_format(fmt, DECOMMISSION_FORMATS, "decommission check")
    check_output(output, fmt)   # before collecting: never a long run that cannot be written
    scope = parse_subscriptions(subscription)
    from auditor.core.pipeline import run_decommission
    from auditor.progress import Progress
    from auditor.report import render_decommission
    cleaned = target.strip()
    if not cleaned:
        from auditor.errors import AuditorError

        raise AuditorError("decommission check needs a non-empty TARGET")
    with open_environment(estate=estate, config_path=config, as_of=as_of, subscriptions=scope) as env, \
            Progress(quiet=quiet) as progress:
        result = run_decommission(env, cleaned, progress=progress.update)
    color, width = terminal_style(output, no_color)
    write_output(render_decommission(result, fmt, color=color, width=width), output, fmt)
    raise typer.Exit(decommission_exit_code(bool(result.dependents), result.complete))
