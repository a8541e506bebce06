"""The only layer that talks to Azure, DNS and TLS endpoints."""
