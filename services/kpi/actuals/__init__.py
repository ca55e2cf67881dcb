"""Actuals: the figures for each period, their corrections and the approval workflow."""
