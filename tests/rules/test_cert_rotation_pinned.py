from auditor.model import ServiceKind

from .factories import app_cert, binding, fd_secret, healthy, kv_cert, with_
from .helpers import run


def test_front_door_secret_pinned() -> None:
    inv = with_(healthy(), certificates=(kv_cert(), fd_secret(pinned_version="v1")))
    [finding] = run("cert-rotation-pinned", inv)
    assert finding.subject == fd_secret().resource_id
    assert finding.evidence["pinned_version"] == "v1"
    assert finding.evidence["key_vault_current_version"] == "v2"


def test_versioned_key_vault_secret_id_on_a_gateway() -> None:
    pinned = binding("gw.contoso.com", cert_key=None, thumbprint=None, service=ServiceKind.APP_GATEWAY,
                     certificate_ref="https://kv.vault.azure.net/secrets/web/0123abcd")
    [finding] = run("cert-rotation-pinned", with_(healthy(), bindings=(*healthy().bindings, pinned)))
    assert (finding.subject, finding.evidence["pinned_version"]) == ("gw.contoso.com", "0123abcd")


def test_versioned_copy_key_vault_id() -> None:
    copy = app_cert(follows="https://KV.vault.azure.net/secrets/web/abc123")
    [finding] = run("cert-rotation-pinned", with_(healthy(), certificates=(kv_cert(), copy)))
    assert finding.evidence["pinned_version"] == "abc123"


def test_versionless_is_fine() -> None:
    copy = app_cert(follows="https://kv.vault.azure.net/secrets/web")
    assert run("cert-rotation-pinned", with_(healthy(), certificates=(kv_cert(), copy))) == []
