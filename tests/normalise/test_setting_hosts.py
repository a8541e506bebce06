"""Host names read from setting values by the grammar of each connection-string form.

Forms as documented by their owners:
- ADO.NET / SQL Server `Server=tcp:host,port`: https://learn.microsoft.com/dotnet/api/system.data.sqlclient.sqlconnection.connectionstring
- Service Bus / Event Hubs `Endpoint=sb://`: https://learn.microsoft.com/azure/service-bus-messaging/service-bus-dotnet-get-started-with-queues
- Storage `AccountName` + `EndpointSuffix`, explicit `BlobEndpoint`: https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string
- StackExchange.Redis `host:port,password=...`: https://stackexchange.github.io/StackExchange.Redis/Configuration
- libpq key-value and URI: https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING
- JDBC `jdbc:sqlserver://host;serverName=`: https://learn.microsoft.com/sql/connect/jdbc/building-the-connection-url
- MongoDB `mongodb://h1,h2` and `mongodb+srv://`: https://www.mongodb.com/docs/manual/reference/connection-string/
- Key Vault references: https://learn.microsoft.com/azure/app-service/app-service-key-vault-references
"""

from __future__ import annotations

import pytest

from auditor.normalise.setting_hosts import hosts_in_value, is_header_like, is_secret_key, valid_host

SECRET = "secretpass0004.contoso-legacy.net"


@pytest.mark.parametrize(("key", "value"), [
    ("PG", f"host=pg.internal pass={SECRET}"),
    ("UPSTREAM_HDR", "X-Api-Key: secretapikey0005.contoso-legacy.net"),
    ("AUTH_HEADER", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.SflKxwRJSMeKKF2QT4fwpM"),
    ("UPSTREAM", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.contoso.com"),
    ("DB_PASSWORD", "p4ss.contoso.com"),
    ("ClientSecret", "https://idp.contoso.com/?x=1"),
    ("API_TOKEN", "tok.contoso.com"),
    ("SIGNATURE", "sig.contoso.com"),
    ("FILE", "appsettings.json"),
    ("VERSION", "1.2.3"),
    ("SCRIPT", "main.py"),
    ("NOTE", "connect to api.contoso.com later"),
])
def test_the_issue_examples_and_non_hosts_give_nothing(key: str, value: str) -> None:
    assert hosts_in_value(key, value) == []


@pytest.mark.parametrize(("value", "hosts"), [
    ("Server=tcp:db1.database.windows.net,1433;Initial Catalog=d;Password=p4ss.contoso.com;",
     ["db1.database.windows.net"]),
    ("Data Source=db2.database.windows.net\\inst;User ID=u;Pwd=x.contoso.com", ["db2.database.windows.net"]),
    ('Server="db3.database.windows.net";Password="a;b.contoso.com"', ["db3.database.windows.net"]),
    ('Server=db4.database.windows.net;Password="a"";Server=pw.contoso.com;";Encrypt=True', ["db4.database.windows.net"]),
    ("Endpoint=sb://ns1.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=k.contoso.com=",
     ["ns1.servicebus.windows.net"]),
    ("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=abc.def==;EndpointSuffix=core.chinacloudapi.cn",
     [f"acct.{s}.core.chinacloudapi.cn" for s in ("blob", "queue", "table", "file")]),
    ("BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=1&sig=a.contoso.com",
     ["acct.blob.core.windows.net"]),
    ("cache1.redis.cache.windows.net:6380,password=pw.contoso.com,ssl=True,abortConnect=False",
     ["cache1.redis.cache.windows.net"]),
    ("host=pg1.postgres.database.azure.com port=5432 dbname=d user=u password='pw pw.contoso.com'",
     ["pg1.postgres.database.azure.com"]),
    ("Host=pg2.postgres.database.azure.com;Database=d;Username=u;Password=pw.contoso.com",
     ["pg2.postgres.database.azure.com"]),
    ("Server=my1.mysql.database.azure.com; Port=3306; Database=d; Uid=u; Pwd=pw.contoso.com;",
     ["my1.mysql.database.azure.com"]),
    ("postgresql://u:pw.contoso.com@pg3.postgres.database.azure.com:5432/d?sslmode=require",
     ["pg3.postgres.database.azure.com"]),
    ("mysql://u:pw@my2.mysql.database.azure.com/d", ["my2.mysql.database.azure.com"]),
    ("jdbc:sqlserver://sql4.database.windows.net:1433;database=d;password=pw.contoso.com;",
     ["sql4.database.windows.net"]),
    ("jdbc:sqlserver://;serverName=sql5.database.windows.net;password=pw.contoso.com", ["sql5.database.windows.net"]),
    ("mongodb://u:pw.contoso.com@m1.contoso.com:27017,m2.contoso.com:27017/db?replicaSet=rs",
     ["m1.contoso.com", "m2.contoso.com"]),
    ("mongodb+srv://u:pw@cluster0.abcde.mongodb.net/db", ["cluster0.abcde.mongodb.net"]),
    ("rediss://:pw@cache2.redis.cache.windows.net:6380/0", ["cache2.redis.cache.windows.net"]),
    ("AccountEndpoint=https://cos.documents.azure.com:443/;AccountKey=abc==;", ["cos.documents.azure.com"]),
    ("InstrumentationKey=0000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
     ["westeurope-5.in.applicationinsights.azure.com"]),
    ("@Microsoft.KeyVault(SecretUri=https://kv2.vault.azure.net/secrets/s/)", ["kv2.vault.azure.net"]),
    ("https://user:pa.ss@hooks.contoso.com/t0ken.part/x?next=https://n.contoso.com#frag.ment", ["hooks.contoso.com"]),
    ("api.contoso-legacy.net", ["api.contoso-legacy.net"]),
    ("api.contoso-legacy.net:8443", ["api.contoso-legacy.net"]),
    ("a.contoso.com, b.contoso.com", ["a.contoso.com", "b.contoso.com"]),
    ("https://a.contoso.com https://b.contoso.com/x", ["a.contoso.com", "b.contoso.com"]),
    ("see https://docs.contoso.com/x and api.contoso.com", ["docs.contoso.com"]),
])
def test_host_bearing_parts_of_each_grammar(value: str, hosts: list[str]) -> None:
    assert hosts_in_value("CONNECTION", value) == hosts


def test_a_locator_named_key_is_read_though_it_says_a_secret_word() -> None:
    # The value of `KeyVaultUri` or `AUTH_CALLBACK_URL` locates something; it is not the key or token.
    assert hosts_in_value("KeyVaultUri", "https://kv1.vault.azure.net/") == ["kv1.vault.azure.net"]
    assert hosts_in_value("TOKEN_ENDPOINT", "https://login.contoso.com/t?client_secret=x.y") == ["login.contoso.com"]
    assert is_secret_key("SharedAccessKey") and is_secret_key("AUTH_HEADER") and is_secret_key("pwd")
    assert not is_secret_key("Authority") and not is_secret_key("KeyVaultUri")
    assert hosts_in_value("SESSION_STORE", "cache3.redis.cache.windows.net:6380,password=pw.contoso.com") == [
        "cache3.redis.cache.windows.net"]


def test_headers_and_public_suffix_validity() -> None:
    assert is_header_like("X-Api-Key: abc") and is_header_like("Bearer abc") and is_header_like("Basic dXNlcg==")
    assert not is_header_like("https://a.contoso.com") and not is_header_like("Server=tcp:a.b.com,1433")
    assert valid_host("WWW.Fabrikam.CO.UK.") == "www.fabrikam.co.uk"
    assert valid_host("pg.internal") is None and valid_host("azurewebsites.net") is None
    assert valid_host("bad_label.contoso.com") is None and valid_host("*.contoso.com") == "*.contoso.com"
