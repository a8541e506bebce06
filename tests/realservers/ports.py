"""A loopback port free for both TCP and UDP at the time of asking."""

from __future__ import annotations

import socket


def free_port() -> int:
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue  # its UDP twin is taken: ask again
                return port
    raise OSError("no loopback port is free for both TCP and UDP")
