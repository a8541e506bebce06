"""How to remove each kind of dependent: a portal path or an `az` command, never a secret."""

from __future__ import annotations

from auditor.graph.resource_ids import id_parts, resource_group
from auditor.model import (
    Certificate,
    CertificateStore,
    CustomDomain,
    DnsRecord,
    Reference,
    ReferenceKind,
    ServiceKind,
)


def remove_custom_domain(hostname: str, service: ServiceKind, resource_id: str) -> str:
    p = id_parts(resource_id)
    rg = resource_group(resource_id)
    name = p.get("name", "<name>")
    match service:
        case ServiceKind.FRONT_DOOR:
            return (f"Detach {hostname} from its routes, then: az afd custom-domain delete -g {rg} "
                    f"--profile-name {p.get('profiles', '<profile>')} --custom-domain-name {name}")
        case ServiceKind.APP_SERVICE:
            slot = f" --slot {p['slots']}" if "slots" in p else ""
            return (f"az webapp config hostname delete -g {rg} --webapp-name {p.get('sites', name)}{slot} "
                    f"--hostname {hostname}")
        case ServiceKind.CDN:
            return (f"az cdn custom-domain delete -g {rg} --profile-name {p.get('profiles', '<profile>')} "
                    f"--endpoint-name {p.get('endpoints', '<endpoint>')} -n {name}")
        case ServiceKind.STATIC_WEB_APP:
            return f"az staticwebapp hostname delete -g {rg} -n {p.get('staticsites', name)} --hostname {hostname}"
        case ServiceKind.CONTAINER_APP:
            return f"az containerapp hostname delete -g {rg} -n {p.get('containerapps', name)} --hostname {hostname}"
        case ServiceKind.API_MANAGEMENT:
            return (f"Portal: API Management service {p.get('service', name)} > Custom domains: "
                    f"delete the entry for {hostname}, then Save")
        case ServiceKind.FRONT_DOOR_CLASSIC:
            return (f"Portal: Front Door (classic) {p.get('frontdoors', name)} > Front Door designer: remove the "
                    f"frontend host {hostname} from its routing rules, then delete it")
        case ServiceKind.APP_GATEWAY:
            return (f"Portal: Application gateway {p.get('applicationgateways', name)} > Listeners: delete the "
                    f"listener for {hostname} and its routing rule")
        case _:
            return f"Remove the host name {hostname} from {resource_id} (Portal: the resource's Custom domains)"


def remove_certificate(cert: Certificate) -> str:
    p = id_parts(cert.resource_id)
    rg = resource_group(cert.resource_id)
    match cert.store:
        case CertificateStore.KEY_VAULT:
            vault, _, name = cert.key.partition("/")
            return f"az keyvault certificate delete --vault-name {vault} -n {name or cert.name}"
        case CertificateStore.APP_SERVICE:
            return f"az webapp config ssl delete -g {rg} --certificate-thumbprint {cert.thumbprint or '<thumbprint>'}"
        case CertificateStore.FRONT_DOOR_SECRET:
            return (f"az afd secret delete -g {rg} --profile-name {p.get('profiles', '<profile>')} "
                    f"--secret-name {p.get('secrets', cert.name)}")
        case CertificateStore.API_MANAGEMENT:
            return f"Portal: API Management service {p.get('service', '<service>')} > Certificates: delete {cert.name}"
        case CertificateStore.APP_GATEWAY:
            return (f"Portal: Application gateway {p.get('applicationgateways', '<gateway>')} > Listeners > "
                    f"Listener TLS certificates: delete {cert.name}")
    return f"Delete certificate {cert.name} ({cert.resource_id})"


def rebind_certificate(hostname: str, service: ServiceKind, resource_id: str) -> str:
    """For a host name that presents the certificate: move it to another certificate first."""
    if service is ServiceKind.APP_SERVICE:
        p = id_parts(resource_id)
        return (f"Bind another certificate to {hostname}: az webapp config ssl bind -g {resource_group(resource_id)} "
                f"-n {p.get('sites', '<app>')} --certificate-thumbprint <new-thumbprint> --ssl-type SNI, "
                f"or remove the host name")
    return f"Point the TLS settings of {hostname} on {resource_id} at another certificate, or remove the host name"


def remove_dns_record(record: DnsRecord) -> str:
    if record.listed_from:
        # Not Azure DNS: the zone lives at another provider (listed from a zone file or transfer).
        return (f"Delete the {record.type.upper()} record {record.fqdn} at the DNS provider that serves "
                f"{record.zone} (listed from {record.listed_from}), then export the zone again if it is "
                f"supplied as a zone file")
    relative = _relative(record.fqdn, record.zone)
    return (f"az network dns record-set {record.type.lower()} delete -g {resource_group(record.resource_id)} "
            f"-z {record.zone} -n {relative} --yes")


def remove_observed_record(owner: str, target: str) -> str:
    return f"Delete the CNAME {owner} -> {target} at the DNS provider that serves {owner} (it is not in Azure DNS)"


def remove_reference(ref: Reference) -> str:
    p = id_parts(ref.resource_id)
    rg = resource_group(ref.resource_id)
    site = p.get("sites", p.get("name", "<app>"))
    slot = f" --slot {p['slots']}" if "slots" in p else ""
    setting = ref.where.split(".", 1)[1] if "." in ref.where else ref.where
    match ref.kind:
        case ReferenceKind.APP_SETTING:
            return (f"Change or delete the setting: az webapp config appsettings delete -g {rg} -n {site}{slot} "
                    f"--setting-names {setting} (Portal: {site} > Environment variables > App settings)")
        case ReferenceKind.CONNECTION_STRING:
            return (f"az webapp config connection-string delete -g {rg} -n {site}{slot} --setting-names {setting} "
                    f"(Portal: {site} > Environment variables > Connection strings)")
        case ReferenceKind.CORS_ORIGIN:
            return f"az webapp cors remove -g {rg} -n {site}{slot} --allowed-origins https://{ref.hostname}"
        case ReferenceKind.AUTH_REDIRECT:
            return (f"Portal: {site} > Authentication: remove {ref.hostname} from the allowed external redirect "
                    f"URLs and the identity provider's settings")
        case ReferenceKind.FRONTDOOR_ORIGIN:
            return (f"az afd origin delete -g {rg} --profile-name {p.get('profiles', '<profile>')} "
                    f"--origin-group-name {p.get('origingroups', '<origin-group>')} "
                    f"--origin-name {p.get('origins', '<origin>')}")
        case ReferenceKind.FRONTDOOR_RULE:
            return (f"Portal: Front Door {p.get('profiles', '<profile>')} > Rule sets > "
                    f"{p.get('rulesets', '<rule-set>')}: edit rule {p.get('rules', '<rule>')} so it no longer "
                    f"names {ref.hostname}")
        case ReferenceKind.GATEWAY_BACKEND:
            return (f"Portal: Application gateway {p.get('applicationgateways', '<gateway>')} > Backend pools: "
                    f"remove {ref.hostname}")
        case ReferenceKind.GATEWAY_LISTENER:
            return (f"Portal: Application gateway {p.get('applicationgateways', '<gateway>')} > Listeners: delete "
                    f"the listener for {ref.hostname} and its routing rule")
        case ReferenceKind.TRAFFIC_MANAGER_ENDPOINT:
            return (f"az network traffic-manager endpoint delete -g {rg} "
                    f"--profile-name {p.get('trafficmanagerprofiles', '<profile>')} -n {p.get('name', '<endpoint>')} "
                    f"--type externalEndpoints")
        case ReferenceKind.APIM_BACKEND:
            return (f"Portal: API Management service {p.get('service', '<service>')} > Backends: edit or delete "
                    f"the backend that names {ref.hostname}")
        case ReferenceKind.ENTRA_REDIRECT_URI:
            return (f"Portal: Microsoft Entra ID > App registrations > {p.get('name', ref.resource_id)} > "
                    f"Authentication: remove the redirect URIs on {ref.hostname}")
    return (f"Edit {ref.where} on {ref.resource_id} so it no longer names {ref.hostname} "
            f"(Portal: the resource's JSON view, or az resource update --ids {ref.resource_id} --set ...)")


def describe_domain(domain: CustomDomain) -> str:
    return f"{domain.service.value} custom domain, certificate {domain.certificate_kind.value}"


def _relative(fqdn: str, zone: str) -> str:
    if fqdn == zone:
        return "@"
    return fqdn.removesuffix("." + zone)
