"""Whether, and how wide, to draw the terminal table: colour only on a terminal that wants it."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TextIO

DEFAULT_WIDTH = 120   # a pipe or a file: wide enough for a host name and a finding side by side
MIN_WIDTH = 60


def terminal_style(output: Path | None, no_color: bool, stream: TextIO | None = None,
                   environ: dict[str, str] | None = None) -> tuple[bool, int]:
    """(colour, width) for output going to `stream` (stdout) unless written to a file.

    Colour needs a terminal, and neither --no-color nor NO_COLOR (https://no-color.org: any non-empty
    value) nor TERM=dumb; the width is the terminal's (COLUMNS wins, as shutil reads it)."""
    env = os.environ if environ is None else environ
    out = sys.stdout if stream is None else stream
    tty = output is None and out.isatty()
    color = tty and not no_color and not env.get("NO_COLOR") and env.get("TERM") != "dumb"
    if "COLUMNS" in env and env["COLUMNS"].isdigit():
        width = int(env["COLUMNS"])
    elif tty:
        width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    else:
        width = DEFAULT_WIDTH
    return color, max(MIN_WIDTH, width)
