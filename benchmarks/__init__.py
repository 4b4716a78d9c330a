"""Benchmarks at 10k, 100k and 1M incidents, kept apart from the test suite: ``python -m benchmarks``."""
