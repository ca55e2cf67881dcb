"""Targets: a measure's target for each financial year, and the target for each period."""
