"""Writing a command's output: stdout, or a file replaced atomically.

The target is checked before any collection (`check_output`), so a long audit never
ends in "cannot write". A missing directory is an error, not created behind the
user's back. The written file gets the mode a plain write would give it: the
existing file's mode, or 0666 less the umask.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from auditor.errors import AuditorError

DEFAULT_HTML = Path("auditor-report.html")


def output_target(output: Path | None, fmt: str) -> Path | None:
    if output is None and fmt == "html":
        return DEFAULT_HTML
    return output


def check_output(output: Path | None, fmt: str) -> None:
    """Fail now, before collecting, if the output could not be written later."""
    target = output_target(output, fmt)
    if target is None:
        return
    resolved = target.resolve()
    parent = resolved.parent
    if not parent.is_dir():
        raise AuditorError(f"cannot write {target}: directory {parent} does not exist")
    if resolved.is_dir():
        raise AuditorError(f"cannot write {target}: it is a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise AuditorError(f"cannot write {target}: directory {parent} is not writable")
    if resolved.exists() and not os.access(resolved, os.W_OK):
        raise AuditorError(f"cannot write {target}: the file is not writable")


def write_output(text: str, output: Path | None, fmt: str) -> None:
    output = output_target(output, fmt)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    check_output(output, fmt)
    target = output.resolve()
    mode = _mode_for(target)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise AuditorError(f"cannot write {output}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    print(f"wrote {output}", file=sys.stderr)


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
