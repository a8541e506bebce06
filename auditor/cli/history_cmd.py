"""`auditor history`: past runs, and what changed between any two."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from auditor.cli.choices import check_format
from auditor.cli.options import ConfigPath, Output
from auditor.cli.output import write_output
from auditor.errors import AuditorError

app = typer.Typer(help="Past audit runs and what changed between them.", no_args_is_help=True)

HistoryPath = Annotated[Path | None, typer.Option("--history", help="History database (default from config).",
                                                  dir_okay=False)]
Format = Annotated[str, typer.Option("--format", "-f", help="table|json|markdown")]
ListFormat = Annotated[str, typer.Option("--format", "-f", help="table|json")]


def _store(config: Path | None, history: Path | None):  # type: ignore[no-untyped-def]
    import dataclasses

    from auditor.config import load_config
    from auditor.history import open_store

    cfg = load_config(config or Path("auditor.toml"), required=config is not None)
    if history is not None:
        cfg = dataclasses.replace(cfg, history=dataclasses.replace(cfg.history, path=str(history)))
    if not Path(cfg.history.path).exists():
        raise AuditorError(f"no history at {cfg.history.path}: run `auditor audit` first")
    return open_store(cfg)


@app.command("list")
def list_runs(config: ConfigPath = None, history: HistoryPath = None, fmt: ListFormat = "table",
              output: Output = None) -> None:
    """Every recorded run, oldest first."""
    from auditor.report import render_runs

    fmt = check_format(fmt, ("table", "json"), "history list")
    text = render_runs(_store(config, history).runs(), fmt)
    write_output(text, output, fmt)


@app.command("diff")
def diff(
    run_a: Annotated[str | None, typer.Argument(help="Earlier run id (default: the one before the latest).")] = None,
    run_b: Annotated[str | None, typer.Argument(help="Later run id (default: the latest).")] = None,
    config: ConfigPath = None, history: HistoryPath = None, fmt: Format = "table", output: Output = None,
) -> None:
    """New, resolved and still-open findings between two runs."""
    from auditor.report import render_diff

    fmt = check_format(fmt, ("table", "json", "markdown"), "history diff")
    from auditor.history.choose import runs_to_compare

    store = _store(config, history)
    run_a, run_b = runs_to_compare(store, run_a, run_b)
    write_output(render_diff(store.diff(run_a, run_b), fmt), output, fmt)
