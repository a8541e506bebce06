"""The estate emulator: serves a recorded or hand-made Azure estate on loopback.

`Emulator` and `EmulatorEndpoints` load on first use, so importing a small part of the
package (faults, the request log) does not pull in the servers, DuckDB and the SDK stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.emulator.server import Emulator, EmulatorEndpoints

__all__ = ["Emulator", "EmulatorEndpoints"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from auditor.emulator import server

        return getattr(server, name)
    raise AttributeError(f"module 'auditor.emulator' has no attribute {name!r}")
