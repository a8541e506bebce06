"""`auditor inventory`: the normalised inventory."""

from __future__ import annotations

from typing import Annotated

import typer

from auditor.cli.choices import INVENTORY_FORMATS, check_format
from auditor.cli.options import AsOf, ConfigPath, Estate, Output, Quiet
from auditor.cli.output import check_output, write_output
from auditor.core.environment import open_environment
from auditor.core.exit_codes import INCOMPLETE, OK


def inventory(
    estate: Estate = None,
    config: ConfigPath = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table|json|csv")] = "table",
    output: Output = None,
    as_of: AsOf = None,
    quiet: Quiet = False,
) -> None:
    """Certificates, custom domains, bindings, DNS names and references, and what could not be read."""
    fmt = check_format(fmt, INVENTORY_FORMATS, "inventory")
    check_output(output, fmt)   # before collecting: never a long run that cannot be written
    from auditor.core.inventory_export import render_inventory
    from auditor.core.pipeline import run_inventory
    from auditor.progress import Progress
    with open_environment(estate=estate, config_path=config, as_of=as_of) as env, \
            Progress(quiet=quiet) as progress:
        inv = run_inventory(env, progress=progress.update)
    write_output(render_inventory(inv, fmt), output, fmt)
    raise typer.Exit(OK if inv.complete else INCOMPLETE)
