"""`auditor history`: past runs, and what changed between any two."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from auditor.cli.choices import HISTORY_DIFF_FORMATS, HISTORY_LIST_FORMATS, check_format
from auditor.cli.options import HistoryConfigPath, Output, format_option
from auditor.cli.output import write_output
from auditor.errors import AuditorError

app = typer.Typer(help="Past audit runs and what changed between them.", no_args_is_help=True, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]})

HistoryPath = Annotated[Path | None, typer.Option("--history", help="History database (default from config).",
                                                  metavar="FILE", dir_okay=False)]
Format = Annotated[str, format_option(HISTORY_DIFF_FORMATS)]
ListFormat = Annotated[str, format_option(HISTORY_LIST_FORMATS)]


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
def list_runs(config: HistoryConfigPath = None, history: HistoryPath = None, fmt: ListFormat = "table",
              output: Output = None) -> None:
    """Every recorded run, oldest first."""
    from auditor.report import render_runs

    fmt = check_format(fmt, HISTORY_LIST_FORMATS, "history list")
    text = render_runs(_store(config, history).runs(), fmt)
    write_output(text, output, fmt)


@app.command("diff")
def diff(
    run_a: Annotated[str | None, typer.Argument(help="Earlier run id (default: the one before the latest).",
                                                     metavar="A")] = None,
    run_b: Annotated[str | None, typer.Argument(help="Later run id (default: the latest).", metavar="B")] = None,
    config: HistoryConfigPath = None, history: HistoryPath = None, fmt: Format = "table", output: Output = None,
) -> None:
    """New, resolved and still-open findings between two runs."""
    from auditor.report import render_diff

    fmt = check_format(fmt, HISTORY_DIFF_FORMATS, "history diff")
    from auditor.history.choose import runs_to_compare

    store = _store(config, history)
    run_a, run_b = runs_to_compare(store, run_a, run_b)
    write_output(render_diff(store.diff(run_a, run_b), fmt), output, fmt)
