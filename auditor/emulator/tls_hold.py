"""Connections the TLS server holds open without answering (the "timeout" failure).

They wait here rather than in a worker thread, so a burst of timeouts cannot
starve the handshakes that should succeed. Each is closed after HOLD_SECONDS,
or at once when the server stops.
"""

from __future__ import annotations

import socket
import threading
import time

HOLD_SECONDS = 30.0
MAX_HELD = 256


class HeldConnections:
    def __init__(self, hold_seconds: float = HOLD_SECONDS) -> None:
        self._hold_seconds = hold_seconds
        self._held: list[tuple[float, socket.socket]] = []
        self._wake = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._reap, name="emulator-tls-hold", daemon=True)
        self._thread.start()

    def hold(self, sock: socket.socket) -> bool:
        """Keeps `sock` open and silent; False (and the caller closes it) when full or stopping."""
        with self._wake:
            if self._stopping or len(self._held) >= MAX_HELD:
                return False
            self._held.append((time.monotonic() + self._hold_seconds, sock))
            self._wake.notify()
            return True

    def close(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(timeout=5)

    def _reap(self) -> None:
        while True:
            with self._wake:
                if self._stopping:
                    expired, self._held = self._held, []
                else:
                    now = time.monotonic()
                    expired = [(d, s) for d, s in self._held if d <= now]
                    self._held = [(d, s) for d, s in self._held if d > now]
                    if not expired:
                        next_deadline = min((d for d, _ in self._held), default=now + 3600)
                        self._wake.wait(timeout=next_deadline - now)
                        continue
                stopping = self._stopping
            for _, sock in expired:
                sock.close()
            if stopping:
                return
