"""Zone files that exercise every answer shape an authoritative server gives."""

from __future__ import annotations

from pathlib import Path

ZONES = {
    "contoso.com": """\
$ORIGIN contoso.com.
$TTL 3600
@          IN SOA ns1.contoso.com. hostmaster.contoso.com. 2025091001 3600 600 604800 300
@          IN NS  ns1.contoso.com.
@          IN NS  ns1-07.azure-dns.com.
ns1        IN A   192.0.2.53
@          IN A   192.0.2.1
@          IN CAA 0 issue "digicert.com"
@          IN CAA 0 iodef "mailto:security@contoso.com"
@          IN TXT "v=spf1 include:spf.protection.outlook.com -all"
@          IN TXT "MS=ms12345678"
@          IN MX  10 mail
@          IN MX  20 backup.mail.example.net.
mail       IN A   192.0.2.25
mail       IN AAAA 2001:db8::25
www        IN CNAME portal
portal     IN CNAME contoso-portal.azurefd.net.
login      IN CNAME signin.azurewebsites.net.
shop       IN CNAME gone
api        300 IN A 192.0.2.10
api        300 IN AAAA 2001:db8::10
deep.ent   IN A   192.0.2.11
*.apps     IN CNAME apps-ingress.azurewebsites.net.
*.cdn      IN A   192.0.2.99
loop-a     IN CNAME loop-b
loop-b     IN CNAME loop-a
asuid.www  IN TXT "0123456789ABCDEF"
_dmarc     IN TXT "v=DMARC1; p=reject"
partner    IN NS  ns1.partner
ns1.partner IN A  192.0.2.200
""",
    "azurefd.net": """\
$ORIGIN azurefd.net.
@          300 IN SOA ns1-01.azure-dns.com. azuredns-hostmaster.microsoft.com. 1 3600 300 2419200 300
@          IN NS ns1-01.azure-dns.com.
contoso-portal     60 IN CNAME contoso-portal.z01.azurefd.net.
contoso-portal.z01 60 IN A 203.0.113.7
""",
    "azurewebsites.net": """\
$ORIGIN azurewebsites.net.
$TTL 300
@          IN SOA ns1-01.azure-dns.com. azuredns-hostmaster.microsoft.com. 1 3600 300 2419200 60
@          IN NS ns1-01.azure-dns.com.
signin     IN CNAME waws-prod-am2-123.sip.azurewebsites.windows.net.
apps-ingress IN A 20.50.2.1
""",
}

# (name, type): every shape of answer, in the spellings a client might use
QUESTIONS = [
    ("contoso.com", "SOA"), ("contoso.com", "NS"), ("contoso.com", "A"), ("contoso.com", "CAA"),
    ("contoso.com", "TXT"), ("contoso.com", "MX"), ("contoso.com", "AAAA"),
    ("api.contoso.com", "A"), ("API.Contoso.COM", "AAAA"), ("api.contoso.com", "TXT"),
    ("mail.contoso.com", "AAAA"), ("ns1.contoso.com", "A"),
    ("www.contoso.com", "A"), ("www.contoso.com", "CNAME"), ("www.contoso.com", "AAAA"),
    ("portal.contoso.com", "A"), ("login.contoso.com", "A"), ("shop.contoso.com", "A"),
    ("nothing.contoso.com", "A"), ("a.b.nothing.contoso.com", "TXT"),
    ("ent.contoso.com", "A"), ("deep.ent.contoso.com", "A"),
    ("x.apps.contoso.com", "A"), ("x.apps.contoso.com", "CNAME"), ("y.x.apps.contoso.com", "A"),
    ("apps.contoso.com", "A"), ("edge.cdn.contoso.com", "A"), ("edge.cdn.contoso.com", "TXT"),
    ("loop-a.contoso.com", "A"), ("asuid.www.contoso.com", "TXT"), ("_dmarc.contoso.com", "TXT"),
    ("partner.contoso.com", "NS"), ("www.partner.contoso.com", "A"),
    ("contoso-portal.azurefd.net", "A"), ("contoso-portal.z01.azurefd.net", "A"),
    ("gone.azurefd.net", "CNAME"), ("signin.azurewebsites.net", "A"), ("azurewebsites.net", "NS"),
    ("example.org", "A"), ("contoso.co", "A"),
]


def write_zones(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in ZONES.items():
        path = folder / f"{name}.zone"
        path.write_text(text)
        paths.append(path)
    return paths

# questions whose CNAME chain leaves the zone it starts in: NSD (and the emulator)
# follow it into the other zones they serve, Knot stops at the zone's edge
CROSS_ZONE = {
    ("www.contoso.com", "A"), ("www.contoso.com", "AAAA"), ("portal.contoso.com", "A"),
    ("login.contoso.com", "A"), ("x.apps.contoso.com", "A"), ("y.x.apps.contoso.com", "A"),
}
