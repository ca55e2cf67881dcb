"""Latency benchmarks through the gateway: `make bench` (`python -m tests.bench`). Not tests."""
