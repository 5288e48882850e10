"""Benchmarks run on demand (never from the test suite); results go to docs/benchmarks.md."""
