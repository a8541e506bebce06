from datetime import timedelta

from auditor.model import CertificateVersion, ServiceKind

from .factories import (
    AS_OF,
    OLD_THUMB,
    THUMB,
    app_cert,
    binding,
    days,
    fd_secret,
    healthy,
    kv_cert,
    leaf,
    probe,
    with_,
)
from .helpers import run


def renewed(hours_ago: float) -> object:
    created = AS_OF - timedelta(hours=hours_ago)
    versions = (
        CertificateVersion("v2", THUMB, created, created, created + days(365)),
        CertificateVersion("v1", OLD_THUMB, AS_OF - days(300), AS_OF - days(300), AS_OF + days(20)),
    )
    return kv_cert(versions=versions, not_before=created)


def test_app_service_copy_within_sync_lag_is_not_a_finding() -> None:
    inv = with_(healthy(), certificates=(renewed(20), app_cert(thumbprint=OLD_THUMB)))
    assert run("cert-rotation-stale", inv) == []


def test_app_service_copy_past_sync_lag() -> None:
    inv = with_(healthy(), certificates=(renewed(30), app_cert(thumbprint=OLD_THUMB)))
    [finding] = run("cert-rotation-stale", inv)
    assert finding.subject == "www.contoso.com"   # the host name presenting the stale copy
    assert finding.evidence["consumer"] == app_cert().key
    assert finding.evidence["consumer_version"] == "v1"
    assert finding.evidence["sync_lag_hours"] == 24


def test_front_door_has_72_hours() -> None:
    secret = fd_secret(thumbprint=OLD_THUMB)
    assert run("cert-rotation-stale", with_(healthy(), certificates=(renewed(48), secret))) == []
    [finding] = run("cert-rotation-stale", with_(healthy(), certificates=(renewed(80), secret)))
    assert finding.evidence["sync_lag_hours"] == 72
    assert finding.subject == secret.resource_id   # bound nowhere: the copy itself is named


def test_live_endpoint_still_serving_the_old_version() -> None:
    inv = with_(healthy(), certificates=(renewed(30), app_cert()), tls=(probe(served=leaf(thumbprint=OLD_THUMB)),))
    [finding] = run("cert-rotation-stale", inv)
    assert finding.subject == "www.contoso.com"
    assert finding.evidence["consumer_thumbprint"] == OLD_THUMB


def test_binding_on_old_thumbprint_by_key_vault_reference() -> None:
    stale = binding("fd.contoso.com", cert_key="kv/web", thumbprint=OLD_THUMB, service=ServiceKind.FRONT_DOOR)
    inv = with_(healthy(), certificates=(renewed(100),), bindings=(stale,))
    [finding] = run("cert-rotation-stale", inv)
    assert finding.subject == "fd.contoso.com"
