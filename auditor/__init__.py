"""The auditor: finds the certificates and domains in an Azure estate that are about
to break something, and everything that still depends on them."""

__version__ = "0.1.0"
