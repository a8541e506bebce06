"""`AUDITOR_DEBUG=1`: the Azure SDKs' debug logs (and the auditor's own) on stderr, scrubbed.

azure-core's HTTP logging policy already redacts header and query values outside its
allow-list and never logs bodies unless asked; this filter is the second line, so a
token, a client secret, a storage key or a SAS signature that reaches a log line
anyway is replaced by REDACTED before it is written.
"""

from __future__ import annotations

import logging
import re
import sys

LOGGERS = ("azure", "msal", "auditor")

_SECRET_PATTERNS = (
    re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"(?i)\b(client_secret|client_assertion|access_token|refresh_token|id_token|password|"
               r"sig|AccountKey|SharedAccessKey|SharedAccessSignature|secret)(\s*[=:]\s*[\"']?)[^&\s;\"',}]+"),
    re.compile(r"(?i)(\"(?:access_token|refresh_token|id_token|client_secret|value|password)\"\s*:\s*\")[^\"]*"),
)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        cleaned = scrub(text)
        if cleaned != text:
            record.msg, record.args = cleaned, None
        return True


def scrub(text: str) -> str:
    text = _SECRET_PATTERNS[0].sub(lambda m: f"{m.group(1)} REDACTED", text)
    text = _SECRET_PATTERNS[1].sub(lambda m: f"{m.group(1)}{m.group(2)}REDACTED", text)
    return _SECRET_PATTERNS[2].sub(lambda m: f"{m.group(1)}REDACTED", text)


def configure(debug: bool) -> None:
    """Debug: DEBUG to stderr through the redacting filter. Otherwise only the SDKs' errors
    (they log retries and credential attempts as warnings; the report names what failed)."""
    if not debug:
        for name in ("azure", "msal"):
            logging.getLogger(name).setLevel(logging.ERROR)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
