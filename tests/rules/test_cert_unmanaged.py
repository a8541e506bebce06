from auditor.model import Renewal, Severity

from .factories import app_cert, fd_secret, healthy, kv_cert, with_
from .helpers import run


def test_unknown_issuer_in_use_is_medium() -> None:
    inv = with_(healthy(), certificates=(kv_cert(issuer_provider="Unknown", renewal=Renewal.MANUAL), app_cert()))
    findings = {f.subject: f for f in run("cert-unmanaged", inv)}
    assert findings["kv/web"].severity is Severity.MEDIUM
    assert findings["kv/web"].evidence["reason"] == "Key Vault issuer is Unknown"
    # the App Service copy that follows it is not renewed either
    assert app_cert().resource_id in findings


def test_uploaded_app_service_certificate() -> None:
    uploaded = app_cert("uploaded", follows=None, renewal=Renewal.MANUAL, thumbprint="F" * 40)
    inv = with_(healthy(), certificates=(*healthy().certificates, uploaded))
    [finding] = run("cert-unmanaged", inv)
    assert finding.subject == uploaded.resource_id
    assert finding.severity is Severity.LOW  # bound nowhere


def test_front_door_secret_following_a_manual_certificate() -> None:
    inv = with_(healthy(), certificates=(kv_cert("fd", renewal=Renewal.MANUAL, issuer_provider="Self"),
                                         fd_secret(follows="kv/fd"), *healthy().certificates))
    subjects = {f.subject for f in run("cert-unmanaged", inv)}
    assert subjects == {"kv/fd", fd_secret().resource_id}


def test_auto_renewing_is_managed() -> None:
    assert run("cert-unmanaged", healthy()) == []


def test_expired_and_unrenewed_is_still_unmanaged() -> None:
    from .factories import AS_OF, days
    cert = kv_cert(issuer_provider="Unknown", not_after=AS_OF - days(20))
    assert [f.subject for f in run("cert-unmanaged", with_(healthy(), certificates=(cert,)))] == ["kv/web"]


def test_app_service_copy_that_can_no_longer_sync_from_key_vault() -> None:
    from dataclasses import replace

    inv = healthy()
    copies = [c for c in inv.certificates if c.resource_id == app_cert().resource_id]
    assert copies, "the healthy estate binds an App Service copy of kv/web"
    broken = replace(copies[0], sync_problem="keyVaultSecretStatus AzureServiceUnauthorizedToAccessKeyVault")
    inv = with_(inv, certificates=tuple(broken if c is copies[0] else c for c in inv.certificates))
    [finding] = run("cert-unmanaged", inv)
    assert finding.subject == broken.resource_id
    assert "AzureServiceUnauthorizedToAccessKeyVault" in finding.evidence["reason"]
