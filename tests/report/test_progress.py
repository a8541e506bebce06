from __future__ import annotations

import io
import os
import select

from auditor.progress import Progress


def test_silent_when_stderr_is_not_a_terminal() -> None:
    stream = io.StringIO()
    with Progress(stream=stream) as progress:
        assert not progress.enabled
        for done in range(5):
            progress("key vaults", done, 4)
    assert stream.getvalue() == ""


def _read_all(fd: int) -> bytes:
    chunks = []
    while select.select([fd], [], [], 0.2)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_draws_on_a_terminal_and_is_quiet_when_asked() -> None:
    master, slave = os.openpty()
    try:
        with os.fdopen(os.dup(slave), "w") as tty:
            with Progress(stream=tty) as progress:
                assert progress.enabled
                progress.update("tls probes", 3, 10)
                progress.update("tls probes", 10, 10)
                progress("dns lookups", 1, 2)
                progress._bars.refresh()  # type: ignore[union-attr]
            drawn = _read_all(master).decode(errors="replace")
            assert "tls probes" in drawn and "dns lookups" in drawn and "10/10" in drawn
            with Progress(stream=tty, quiet=True) as quiet:
                assert not quiet.enabled
                quiet("tls probes", 1, 2)
            tty.flush()
            assert _read_all(master) == b""
    finally:
        os.close(master)
        os.close(slave)
