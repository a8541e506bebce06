"""The roots live endpoints are judged against: the system store plus the estate's own."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from pathlib import Path

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning

from auditor.errors import AuditorError

_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)
SYSTEM_BUNDLES = (
    Path("/etc/ssl/certs/ca-certificates.crt"),   # Debian, Ubuntu, Alpine
    Path("/etc/pki/tls/certs/ca-bundle.crt"),     # RHEL, Fedora
    Path("/etc/ssl/cert.pem"),                    # macOS, BSD
)


def load_roots(extra: Iterable[Path], system: Iterable[Path] = SYSTEM_BUNDLES) -> list[x509.Certificate]:
    """The first system bundle that exists, then every extra file. An extra file that
    cannot be read is the user's to fix: it raises AuditorError."""
    roots: list[x509.Certificate] = []
    for bundle in system:
        if bundle.is_file():
            roots += _read_system(bundle)
            break
    for path in extra:
        roots += _read(Path(path))
    return roots


def _read_system(path: Path) -> list[x509.Certificate]:
    """The system store, one certificate at a time: a root that this cryptography cannot
    parse (some stores carry RFC-violating serials) cannot anchor a chain we accept anyway,
    so it is left out rather than failing every audit."""
    roots: list[x509.Certificate] = []
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise AuditorError(f"cannot read the system trust store {path}: {exc.strerror or exc}") from None
    for block in _PEM_BLOCK.findall(text):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    return roots


def _read(path: Path) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except OSError as exc:
        raise AuditorError(f"cannot read trusted roots {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise AuditorError(f"{path} holds no readable PEM certificate: {exc}") from None
