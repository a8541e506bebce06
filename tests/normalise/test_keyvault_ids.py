from auditor.normalise.keyvault_ids import KeyVaultRef, key_vault_ref, parse_key_vault_ref, vault_name_of


def test_versioned_secret_url() -> None:
    ref = parse_key_vault_ref("https://KV-Prod.vault.azure.net/secrets/Wildcard-Contoso/0123abcd")
    assert ref == KeyVaultRef("kv-prod", "wildcard-contoso", "0123abcd", "secrets")
    assert ref.key == "kv-prod/wildcard-contoso"
    assert ref.pinned


def test_versionless_forms() -> None:
    for url in ("https://kv.vault.azure.net/secrets/web", "https://kv.vault.azure.net/secrets/web/",
                "https://kv.vault.azure.net:443/secrets/web"):
        ref = parse_key_vault_ref(url)
        assert ref is not None and ref.version is None and ref.key == "kv/web", url


def test_certificate_url_and_other_clouds() -> None:
    ref = parse_key_vault_ref("https://kv.vault.azure.cn/certificates/api/v1")
    assert ref == KeyVaultRef("kv", "api", "v1", "certificates")


def test_arm_ids_of_secrets() -> None:
    arm = "/subscriptions/s/resourcegroups/RG/providers/Microsoft.KeyVault/vaults/keyvaultname/secrets/certificatename"
    assert parse_key_vault_ref(arm) == KeyVaultRef("keyvaultname", "certificatename", None)
    assert parse_key_vault_ref(arm + "/versions/abc") == KeyVaultRef("keyvaultname", "certificatename", "abc")


def test_not_key_vault_references() -> None:
    for value in (None, "", "  ", "https://example.com/", "https://kv.vault.azure.net/",
                  "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a", "plain text"):
        assert parse_key_vault_ref(value) is None, value


def test_parts_form_used_by_front_door_classic() -> None:
    vault = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/vault1"
    assert key_vault_ref(vault, "secret1", "0000") == KeyVaultRef("vault1", "secret1", "0000")
    assert key_vault_ref(vault, "secret1", "") == KeyVaultRef("vault1", "secret1", None)
    assert key_vault_ref(vault, "", "1") is None
    assert vault_name_of("https://Vault1.vault.azure.net/") == "vault1"
    assert vault_name_of("vault1") == "vault1"
