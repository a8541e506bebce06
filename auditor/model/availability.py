"""Azure's answer to "could anyone register this Azure-provided name today?"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NameAvailability:
    """One ARM name-availability check (App Service, Storage, Traffic Manager, Front Door, CDN,
    cloudapp DNS labels) for the Azure-provided host name a record points at."""

    hostname: str              # lower-case, no trailing dot: the Azure-provided name
    service: str               # the check asked, e.g. "Microsoft.Web/checkNameAvailability"; "" if none applies
    available: bool | None     # None: no check applies to this suffix, or it could not be asked
    detail: str = ""           # Azure's reason and message, or why no check applies
