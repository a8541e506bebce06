"""How to remove each kind of dependent: a portal path or an `az` command, never a secret.

Commands are built as argv lists and printed with `shell_command`: every value quoted, the
command last, naming the exact resource.
"""

from __future__ import annotations

from auditor.graph.resource_ids import id_parts
from auditor.graph.shell_command import with_command
from auditor.model import (
    Certificate,
    CertificateStore,
    CustomDomain,
    DnsRecord,
    Reference,
    ReferenceKind,
    ServiceKind,
)

# Record-set types `az network dns record-set` has a command group for.
_DNS_TYPES = {"a", "aaaa", "caa", "cname", "mx", "ns", "ptr", "soa", "srv", "txt"}
# Traffic Manager endpoint id segment -> the --type az expects.
_TM_TYPES = {"azureendpoints": "azureEndpoints", "externalendpoints": "externalEndpoints",
             "nestedendpoints": "nestedEndpoints"}


def _target(resource_id: str, named: list[tuple[str, str]]) -> list[str]:
    """`-g rg --flag part ...` when the id has every part, else `--ids <id>`: the exact resource either way."""
    p = id_parts(resource_id)
    if "resourcegroups" not in p or any(key not in p for _, key in named):
        return ["--ids", resource_id]
    argv = ["-g", p["resourcegroups"]]
    for flag, key in named:
        argv += [flag, p[key]]
    return argv


def _site(resource_id: str) -> list[str]:
    """An App Service app or slot: `-g rg -n app [--slot slot]`."""
    p = id_parts(resource_id)
    if "sites" not in p or "resourcegroups" not in p:
        return ["--ids", resource_id]
    return ["-g", p["resourcegroups"], "-n", p["sites"], *(["--slot", p["slots"]] if "slots" in p else [])]


def remove_custom_domain(hostname: str, service: ServiceKind, resource_id: str) -> str:
    p = id_parts(resource_id)
    match service:
        case ServiceKind.FRONT_DOOR:
            return with_command("Detach the custom domain from its routes, then delete it", [
                "az", "afd", "custom-domain", "delete",
                *_target(resource_id, [("--profile-name", "profiles"), ("--custom-domain-name", "customdomains")])])
        case ServiceKind.APP_SERVICE:
            site = _site(resource_id)
            if site[0] == "-g":
                site = [*site[:2], "--webapp-name", *site[3:]]
            return with_command("Delete the host name binding", [
                "az", "webapp", "config", "hostname", "delete", *site, "--hostname", hostname])
        case ServiceKind.CDN:
            return with_command("Delete the custom domain", [
                "az", "cdn", "custom-domain", "delete",
                *_target(resource_id, [("--profile-name", "profiles"), ("--endpoint-name", "endpoints"),
                                       ("-n", "customdomains")])])
        case ServiceKind.STATIC_WEB_APP:
            return with_command("Delete the custom domain", [
                "az", "staticwebapp", "hostname", "delete", *_target(resource_id, [("-n", "staticsites")]),
                "--hostname", hostname])
        case ServiceKind.CONTAINER_APP:
            return with_command("Delete the custom domain", [
                "az", "containerapp", "hostname", "delete", *_target(resource_id, [("-n", "containerapps")]),
                "--hostname", hostname])
        case ServiceKind.API_MANAGEMENT:
            return (f"Portal: API Management service {p.get('service', resource_id)} > Custom domains: "
                    f"delete the entry for {hostname}, then Save")
        case ServiceKind.FRONT_DOOR_CLASSIC:
            return (f"Portal: Front Door (classic) {p.get('frontdoors', resource_id)} > Front Door designer: remove "
                    f"the frontend host {hostname} from its routing rules, then delete it")
        case ServiceKind.APP_GATEWAY:
            return (f"Portal: Application gateway {p.get('applicationgateways', resource_id)} > Listeners: delete "
                    f"the listener for {hostname} and its routing rule")
        case _:
            return f"Remove the host name {hostname} from {resource_id} (Portal: the resource's Custom domains)"


def remove_certificate(cert: Certificate) -> str:
    p = id_parts(cert.resource_id)
    match cert.store:
        case CertificateStore.KEY_VAULT:
            vault, _, name = cert.key.partition("/")
            return with_command("Delete the certificate", [
                "az", "keyvault", "certificate", "delete", "--vault-name", vault, "-n", name or cert.name])
        case CertificateStore.APP_SERVICE:
            if not cert.thumbprint or "resourcegroups" not in p:
                return with_command("Delete the certificate", ["az", "resource", "delete", "--ids", cert.resource_id])
            return with_command("Delete the certificate", [
                "az", "webapp", "config", "ssl", "delete", "-g", p["resourcegroups"],
                "--certificate-thumbprint", cert.thumbprint])
        case CertificateStore.FRONT_DOOR_SECRET:
            return with_command("Delete the secret", [
                "az", "afd", "secret", "delete",
                *_target(cert.resource_id, [("--profile-name", "profiles"), ("--secret-name", "secrets")])])
        case CertificateStore.API_MANAGEMENT:
            return (f"Portal: API Management service {p.get('service', cert.resource_id)} > Certificates: "
                    f"delete {cert.name}")
        case CertificateStore.APP_GATEWAY:
            return (f"Portal: Application gateway {p.get('applicationgateways', cert.resource_id)} > Listeners > "
                    f"Listener TLS certificates: delete {cert.name}")
    return f"Delete certificate {cert.name} ({cert.resource_id})"


def rebind_certificate(hostname: str, service: ServiceKind, resource_id: str) -> str:
    """For a host name that presents the certificate: move it to another certificate first."""
    if service is ServiceKind.APP_SERVICE:
        return with_command("Bind another certificate to the host name (or remove the host name)", [
            "az", "webapp", "config", "ssl", "bind", *_site(resource_id),
            "--certificate-thumbprint", "<new-thumbprint>", "--ssl-type", "SNI"])
    return f"Point the TLS settings of {hostname} on {resource_id} at another certificate, or remove the host name"


def remove_dns_record(record: DnsRecord) -> str:
    if record.listed_from:
        # Not Azure DNS: the zone lives at another provider (listed from a zone file or transfer).
        return (f"Delete the {record.type.upper()} record {record.fqdn} at the DNS provider that serves "
                f"{record.zone} (listed from {record.listed_from}), then export the zone again if it is "
                f"supplied as a zone file")
    kind = record.type.lower()
    p = id_parts(record.resource_id)
    if kind not in _DNS_TYPES or "resourcegroups" not in p:
        return with_command("Delete the record set", ["az", "resource", "delete", "--ids", record.resource_id])
    return with_command("Delete the record set", [
        "az", "network", "dns", "record-set", kind, "delete", "-g", p["resourcegroups"], "-z", record.zone,
        "-n", _relative(record.fqdn, record.zone), "--yes"])


def remove_observed_record(owner: str, target: str) -> str:
    return f"Delete the CNAME {owner} -> {target} at the DNS provider that serves {owner} (it is not in Azure DNS)"


def remove_reference(ref: Reference) -> str:
    p = id_parts(ref.resource_id)
    setting = ref.where.split(".", 1)[1] if "." in ref.where else ref.where
    match ref.kind:
        case ReferenceKind.APP_SETTING:
            return with_command("Change or delete the setting (Portal: the app > Environment variables > "
                                "App settings)", ["az", "webapp", "config", "appsettings", "delete",
                                                  *_site(ref.resource_id), "--setting-names", setting])
        case ReferenceKind.CONNECTION_STRING:
            return with_command("Change or delete the connection string (Portal: the app > Environment variables "
                                "> Connection strings)", ["az", "webapp", "config", "connection-string", "delete",
                                                          *_site(ref.resource_id), "--setting-names", setting])
        case ReferenceKind.CORS_ORIGIN:
            return with_command("Remove the allowed origin", [
                "az", "webapp", "cors", "remove", *_site(ref.resource_id),
                "--allowed-origins", f"https://{ref.hostname}"])
        case ReferenceKind.AUTH_REDIRECT:
            return (f"Portal: {p.get('sites', ref.resource_id)} > Authentication: remove {ref.hostname} from the "
                    f"allowed external redirect URLs and the identity provider's settings")
        case ReferenceKind.FRONTDOOR_ORIGIN:
            return with_command("Delete the origin", [
                "az", "afd", "origin", "delete",
                *_target(ref.resource_id, [("--profile-name", "profiles"), ("--origin-group-name", "origingroups"),
                                           ("--origin-name", "origins")])])
        case ReferenceKind.FRONTDOOR_RULE:
            return (f"Portal: Front Door {p.get('profiles', ref.resource_id)} > Rule sets > "
                    f"{p.get('rulesets', '')}: edit rule {p.get('rules', '')} so it no longer names {ref.hostname}")
        case ReferenceKind.GATEWAY_BACKEND:
            return (f"Portal: Application gateway {p.get('applicationgateways', ref.resource_id)} > Backend pools: "
                    f"remove {ref.hostname}")
        case ReferenceKind.GATEWAY_LISTENER:
            return (f"Portal: Application gateway {p.get('applicationgateways', ref.resource_id)} > Listeners: "
                    f"delete the listener for {ref.hostname} and its routing rule")
        case ReferenceKind.TRAFFIC_MANAGER_ENDPOINT:
            kind = next((_TM_TYPES[k] for k in p if k in _TM_TYPES), None)
            if kind is None or "trafficmanagerprofiles" not in p or "resourcegroups" not in p:
                return with_command("Delete the endpoint", ["az", "resource", "delete", "--ids", ref.resource_id])
            return with_command("Delete the endpoint", [
                "az", "network", "traffic-manager", "endpoint", "delete", "-g", p["resourcegroups"],
                "--profile-name", p["trafficmanagerprofiles"], "-n", p["name"], "--type", kind])
        case ReferenceKind.APIM_BACKEND:
            return (f"Portal: API Management service {p.get('service', ref.resource_id)} > Backends: edit or delete "
                    f"the backend that names {ref.hostname}")
        case ReferenceKind.ENTRA_REDIRECT_URI:
            return (f"Portal: Microsoft Entra ID > App registrations > {p.get('name', ref.resource_id)} > "
                    f"Authentication: remove the redirect URIs on {ref.hostname}")
    return with_command("Edit the property in `where` so it no longer names the host name (Portal: the resource's "
                        "JSON view); read it first", ["az", "resource", "show", "--ids", ref.resource_id])


def describe_domain(domain: CustomDomain) -> str:
    return f"{domain.service.value} custom domain, certificate {domain.certificate_kind.value}"


def _relative(fqdn: str, zone: str) -> str:
    if fqdn == zone:
        return "@"
    return fqdn.removesuffix("." + zone)
