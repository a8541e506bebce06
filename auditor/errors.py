"""The one domain error type. The CLI turns it into a single stderr line and exit 2."""


class AuditorError(Exception):
    """Bad usage, bad configuration or an unreadable estate: something the user must fix.

    The message is shown as is, on one line, without a traceback.
    """


class EstateError(AuditorError):
    """An estate directory that cannot be read or does not follow auditor-estate/1."""


class ConfigError(AuditorError):
    """An auditor.toml that cannot be read or holds an invalid value."""
