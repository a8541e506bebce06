"""Real DNS and TLS servers (Knot, NSD, nginx) on loopback, started and stopped by tests.

Each helper is a context manager that writes its configuration into a temp dir,
runs the server in the foreground on a free 127.0.0.1 port, waits until it
answers, yields the port, and stops it. A missing binary skips the test.
"""

from realservers.dig import DigAnswer, dig
from realservers.knot import start_knot
from realservers.nginx import start_nginx
from realservers.nsd import start_nsd
from realservers.ports import free_port
from realservers.tlsprobe import TlsProbe, probe_tls

__all__ = ["DigAnswer", "TlsProbe", "dig", "free_port", "probe_tls", "start_knot", "start_nginx", "start_nsd"]
