"""Writing a command's output: stdout, or a file replaced atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from auditor.errors import AuditorError

DEFAULT_HTML = Path("auditor-report.html")


def write_output(text: str, output: Path | None, fmt: str) -> None:
    if output is None and fmt == "html":
        output = DEFAULT_HTML
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = output.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise AuditorError(f"cannot write {output}: {exc.strerror or exc}") from None
    print(f"wrote {output}", file=sys.stderr)
