"""Benchmarks of the whole audit against generated estates: `python -m benchmarks.run`.

See docs/benchmarks.md for the scenarios, how to run them and the numbers measured.
"""
