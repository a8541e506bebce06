"""Application Gateway children (listeners, certificates, pools) are not ARM resources of their
own: ARM reads and writes them only through the gateway. A dependent or a command names the
gateway's id, and the child by its kind and name."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.graph.shell_command import with_command

# The gateway's child collections as ARM spells them, lower-case, and how a person calls them.
_CHILD_LABELS = {
    "httplisteners": "listener",
    "listeners": "listener",
    "sslcertificates": "certificate",
    "backendaddresspools": "backend pool",
    "backendhttpsettingscollection": "backend settings",
    "requestroutingrules": "routing rule",
}


@dataclass(frozen=True)
class GatewayChild:
    gateway_id: str        # /subscriptions/.../providers/Microsoft.Network/applicationGateways/<name>
    gateway: str           # the gateway's name
    resource_group: str
    kind: str | None       # "listener", "certificate", ...; None for the gateway itself
    name: str | None

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}" if self.kind else f"gateway {self.gateway}"

    def argv(self, group: str, verb: str, *args: str) -> list[str]:
        """`az network application-gateway <group> <verb> -g RG --gateway-name GW <args>`."""
        return ["az", "network", "application-gateway", group, verb, "-g", self.resource_group,
                "--gateway-name", self.gateway, *args]


def gateway_child(resource_id: str) -> GatewayChild | None:
    """The gateway and child an id names; None when it is not under an Application Gateway."""
    segments = [s for s in resource_id.strip().split("/") if s]
    lower = [s.lower() for s in segments]
    try:
        at = lower.index("applicationgateways")
    except ValueError:
        return None
    if at + 1 >= len(segments) or "microsoft.network" not in lower[:at]:
        return None
    rg = segments[lower.index("resourcegroups") + 1] if "resourcegroups" in lower[:at] else "<resource-group>"
    gateway_id = "/" + "/".join(segments[:at + 2])
    rest = segments[at + 2:]
    if len(rest) >= 2:
        return GatewayChild(gateway_id, segments[at + 1], rg, _CHILD_LABELS.get(rest[0].lower(), rest[0]), rest[1])
    return GatewayChild(gateway_id, segments[at + 1], rg, None, None)


def remove_listener(hostname: str, resource_id: str) -> str:
    child = gateway_child(resource_id)
    if child is None or child.kind != "listener" or not child.name:
        gateway = child.gateway if child else resource_id
        return (f"Portal: Application gateway {gateway} > Listeners: delete the listener for {hostname} "
                f"and its routing rule")
    return with_command("Delete the routing rule that uses the listener (`az network application-gateway rule "
                        "list` shows it), then delete the listener", child.argv("http-listener", "delete", "-n",
                                                                                child.name))


def rebind_listener(hostname: str, resource_id: str) -> str:
    child = gateway_child(resource_id)
    if child is None or child.kind != "listener" or not child.name:
        return remove_listener(hostname, resource_id)
    return with_command("Point the listener at another certificate (or delete the listener)",
                        child.argv("http-listener", "update", "-n", child.name, "--ssl-cert", "<other-certificate>"))


def remove_ssl_certificate(resource_id: str, name: str) -> str:
    child = gateway_child(resource_id)
    if child is None:
        return f"Portal: Application gateway > Listeners > Listener TLS certificates: delete {name}"
    cert = child.name if child.kind == "certificate" and child.name else name
    return with_command("Move its listeners to another certificate, then delete it",
                        child.argv("ssl-cert", "delete", "-n", cert))


def remove_backend(hostname: str, resource_id: str) -> str:
    child = gateway_child(resource_id)
    if child is not None and child.kind == "backend pool" and child.name:
        return with_command("Set the backend pool's servers to the remaining backends",
                            child.argv("address-pool", "update", "-n", child.name, "--servers", "<remaining backends>"))
    if child is not None and child.kind == "backend settings" and child.name:
        return with_command("Stop overriding the host name in the backend settings",
                            child.argv("http-settings", "update", "-n", child.name,
                                       "--host-name-from-backend-pool", "true"))
    gateway = child.gateway if child else resource_id
    return f"Portal: Application gateway {gateway} > Backend pools: remove {hostname}"
