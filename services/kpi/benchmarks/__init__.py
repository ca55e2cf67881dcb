"""Benchmarks: comparators' values for a measure and year (national, regional, neighbours)."""
