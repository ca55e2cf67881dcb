"""Imports of the finance tables: budget lines and forecasts, savings lines and their returns."""
