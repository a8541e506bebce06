"""The command line: a thin front door onto auditor.core."""
