"""Milestones of projects: baseline, forecast and actual dates, slippage and overdue."""
