"""Programmes, workstreams and projects, and the portfolio summary."""
