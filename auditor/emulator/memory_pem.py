"""Loads a server certificate and its private key into an SSLContext without writing the
key to disk: `ssl` only reads files, so the PEM goes into an anonymous memory file
(Linux memfd), read through /proc/self/fd and closed at once. Where there is no memfd,
a private temporary directory holds it only for the instant of loading."""

from __future__ import annotations

import os
import ssl
import tempfile
from pathlib import Path


def load_chain(context: ssl.SSLContext, chain_pem: bytes, key_pem: bytes) -> None:
    data = chain_pem + key_pem
    memfd_create = getattr(os, "memfd_create", None)
    if memfd_create is not None and Path("/proc/self/fd").is_dir():
        fd = memfd_create("auditor-emulator-tls", getattr(os, "MFD_CLOEXEC", 0))
        try:
            _write_all(fd, data)
            context.load_cert_chain(f"/proc/self/fd/{fd}")
        finally:
            os.close(fd)
        return
    with tempfile.TemporaryDirectory(prefix="auditor-emulator-key-") as folder:
        path = Path(folder) / "server.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        context.load_cert_chain(str(path))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
