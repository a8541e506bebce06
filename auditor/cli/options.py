"""Options every command shares (CONTRACT section 1)."""

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
Output = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write here instead of stdout (HTML defaults to auditor-report.html).",
    metavar="FILE", dir_okay=False)]
AsOf = Annotated[str | None, typer.Option(
    "--as-of", help="The audit's clock, ISO-8601 (estate mode: the estate's as_of; else now).")]
FailOn = Annotated[str | None, typer.Option(
    "--fail-on", help="Exit 1 when a finding is at or above: critical|high|medium|low.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]
