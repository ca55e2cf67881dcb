"""Shared internal package: what every ASC Tracker part needs, written once."""
