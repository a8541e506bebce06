"""Runs a server binary in the foreground for the length of a with-block."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_SBIN = "/usr/sbin:/usr/local/sbin:/sbin"
STARTUP_TIMEOUT = 15.0


def binary(name: str) -> str:
    """The binary's path; skips the calling test when the package is not installed."""
    found = shutil.which(name) or shutil.which(name, path=_SBIN)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian package providing it is missing)")
    return found


@contextmanager
def running(argv: list[str], log_path: Path, ready: Callable[[], bool]) -> Iterator[subprocess.Popen[bytes]]:
    """Starts argv, waits until ready() holds, yields the process, then stops it.

    Output goes to log_path, whose tail is shown if the server dies or never gets ready.
    """
    with log_path.open("wb") as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not ready():
            if process.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited with {process.returncode}:\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{argv[0]} did not answer within {STARTUP_TIMEOUT}s:\n{_tail(log_path)}")
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def check(argv: list[str]) -> None:
    """Runs a config checker; its complaint becomes the error."""
    result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stdout}{result.stderr}")


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
