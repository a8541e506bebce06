"""Estates (format auditor-estate/1): reading them, building them, and the bundled demo."""
