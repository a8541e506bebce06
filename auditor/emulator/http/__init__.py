"""The emulator's HTTPS side: ARM, Resource Graph, Key Vault, the token endpoint and Graph,
served on one port and routed by the Host header, as Azure's host names arrive."""

from auditor.emulator.http.app import HttpsServer
from auditor.emulator.http.state import HttpState

__all__ = ["HttpState", "HttpsServer"]
