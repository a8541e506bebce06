"""Who depends on what: an in-memory index over one Inventory, and the queries rules ask."""

from auditor.graph.dependents import DependentKind, dependents_of_certificate, dependents_of_name
from auditor.graph.graph import Graph, build_graph
from auditor.graph.keyvault_ref import KeyVaultRef, parse_key_vault_ref

__all__ = [
    "DependentKind", "Graph", "KeyVaultRef", "build_graph", "dependents_of_certificate",
    "dependents_of_name", "parse_key_vault_ref",
]
