"""Benchmark of the extractor, the store and the dashboard's data path on a synthetic corpus.

Run it with ``python -m benchmarks`` (see ``benchmarks/README.md``); it is a measurement to read,
not a test to pass.
"""
