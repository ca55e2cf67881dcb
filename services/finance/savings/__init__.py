"""Savings tracking: savings lines, targets, monthly entries and activity measures."""
