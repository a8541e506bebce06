"""Options every command shares (CONTRACT section 1). Each help text says only what that command
does with the option, so a command's --help never offers what it does not take."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Estate = Annotated[Path | None, typer.Option(
    "--estate", help="Collect from the estate emulator serving DIR instead of real Azure.",
    metavar="DIR", file_okay=False)]
ConfigPath = Annotated[Path | None, typer.Option(
    "--config", help="auditor.toml (default ./auditor.toml, or DIR/auditor.toml with --estate).",
    metavar="FILE", dir_okay=False)]
# history reads no estate, so its --config help does not mention one
HistoryConfigPath = Annotated[Path | None, typer.Option(
    "--config", help="auditor.toml (default ./auditor.toml).", metavar="FILE", dir_okay=False)]
Output = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write here instead of stdout.", metavar="FILE", dir_okay=False)]
AuditOutput = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write here instead of stdout (HTML defaults to auditor-report.html).",
    metavar="FILE", dir_okay=False)]
AsOf = Annotated[str | None, typer.Option(
    "--as-of", help="The audit's clock (estate mode: the estate's as_of; else now).", metavar="ISO-8601")]
FailOn = Annotated[str | None, typer.Option(
    "--fail-on", help="Exit 1 when a finding is at or above this severity (default from config).",
    metavar="critical|high|medium|low|info")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]
Subscriptions = Annotated[list[str] | None, typer.Option(
    "--subscription", help="Audit this subscription (repeatable); overrides scope.subscriptions.", metavar="ID")]


def format_option(choices: tuple[str, ...]) -> object:
    """`--format` / `-f` listing exactly the formats this command writes."""
    return typer.Option("--format", "-f", help="Output format.", metavar="|".join(choices))
