"""The `auditor` console script. Errors become one stderr line and an exit code here, only."""

from __future__ import annotations

import os
import sys
from typing import Any

import click
import typer

from auditor.cli import audit_cmd, decommission_cmd, demo_cmd, emulator_cmd, inventory_cmd
from auditor.core.exit_codes import USAGE
from auditor.errors import AuditorError

# Newer Typer raises usage errors from its own copy of click, which are not click's.
USAGE_ERRORS: tuple[type[Exception], ...] = (
    click.exceptions.UsageError, *((typer.TyperException,) if hasattr(typer, "TyperException") else ()))

app = typer.Typer(
    name="auditor",
    help="Finds the certificates and domains in an Azure estate that are about to break something.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("audit")(audit_cmd.audit)
app.add_typer(decommission_cmd.app, name="decommission")
app.command("inventory")(inventory_cmd.inventory)
app.command("demo")(demo_cmd.demo)
app.command("emulator")(emulator_cmd.emulator)


def _register_history() -> None:
    from auditor.cli import history_cmd

    app.add_typer(history_cmd.app, name="history")


def _quiet_sdk_logs() -> None:
    """AUDITOR_DEBUG: the SDKs' debug logs on stderr, secrets scrubbed; else only their errors."""
    from auditor.debug_logs import configure

    configure(bool(os.environ.get("AUDITOR_DEBUG")))


def _exit_on_sigterm() -> None:
    """A terminated run unwinds like an interrupted one, so the emulator's temporary folder
    and any half-written output are removed (kill -9 aside: nothing secret is on disk)."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    _register_history()
    _quiet_sdk_logs()
    _exit_on_sigterm()
    try:
        code = app(args=argv, prog_name="auditor", standalone_mode=False)
    except USAGE_ERRORS as exc:
        usage: Any = exc   # click's or Typer's: both have show() and format_message()
        if type(exc).__name__ == "NoArgsIsHelpError":   # a bare `auditor` or `auditor history`
            usage.show()
            sys.exit(USAGE)
        _fail(usage.format_message())
    except (click.exceptions.Abort, typer.Abort):
        print("auditor: aborted", file=sys.stderr)
        sys.exit(130)
    except AuditorError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        print("auditor: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: still one line, unless asked for the traceback
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set AUDITOR_DEBUG=1 for the traceback)")
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str) -> None:
    # An error may quote an estate string: no escape sequence of it reaches the terminal.
    from auditor.report.escape import log_text

    line = log_text(" ".join(message.split()))
    print(f"auditor: error: {line}", file=sys.stderr)
    sys.exit(USAGE)
