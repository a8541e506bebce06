"""Which roots live endpoints are judged against."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tls_pki import make_root, write_pem  # sibling helper: pytest puts this folder on sys.path

from auditor.collect.tls_trust import load_roots
from auditor.errors import AuditorError


def test_system_store_then_the_estate_roots(tmp_path: Path) -> None:
    system_root, estate_root = make_root("System Root"), make_root("Estate Root")
    bundle = write_pem(tmp_path / "bundle.crt", system_root.cert)
    # a block this cryptography cannot parse is left out, the rest of the store still loads
    bundle.write_bytes(b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"
                       + bundle.read_bytes())
    extra = write_pem(tmp_path / "estate.pem", estate_root.cert)
    roots = load_roots([extra], system=[tmp_path / "missing.crt", bundle])
    assert [r.subject.rfc4514_string() for r in roots] == ["CN=System Root", "CN=Estate Root"]


def test_no_system_store_is_fine(tmp_path: Path) -> None:
    assert load_roots([], system=[tmp_path / "missing.crt"]) == []


@pytest.mark.parametrize("content", [None, b"not a certificate"])
def test_an_unreadable_trust_file_is_one_clear_error(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "trust.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(AuditorError, match="trust.pem"):
        load_roots([path], system=[])


def test_platform_stores_come_from_their_packages_and_sslyze_adds_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import certifi

    from auditor.collect.tls_trust import platform_stores

    apple, android = make_root("Apple Test Root"), make_root("Android Test Root")
    stores = tmp_path / "sslyze" / "plugins" / "certificate_info" / "trust_stores" / "pem_files"
    stores.mkdir(parents=True)
    (tmp_path / "sslyze" / "__init__.py").write_text("raise ImportError('never imported')\n")
    write_pem(stores / "apple.pem", apple.cert)
    write_pem(stores / "google_aosp.pem", android.cert)
    monkeypatch.syspath_prepend(str(tmp_path))
    found = platform_stores.__wrapped__()     # uncached: this test's sslyze only
    assert {"Mozilla", "Windows", "Chrome", "Apple", "Android"} <= set(found)
    assert "Java" not in found                # no oracle_java.pem in this sslyze
    assert found["Apple"].anchors(apple.cert) and not found["Mozilla"].anchors(apple.cert)
    mozilla = load_roots([], system=[Path(certifi.where())])
    assert all(found["Mozilla"].anchors(r) for r in mozilla[:5])
