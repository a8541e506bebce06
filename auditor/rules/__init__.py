"""Rules: pure functions of the dependency graph, one per module, with their metadata beside them.

The registry (`auditor.rules.registry.RULES`) lists them all; `auditor.core.analyse` runs them.
"""
